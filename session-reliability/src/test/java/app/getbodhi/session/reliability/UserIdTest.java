package app.getbodhi.session.reliability;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * User ids that look alike, look like patterns, or cannot be stored, on both backends: each is its
 * own user, matched exactly, or refused clearly. (SessionStoreContract covers quotes, {@code %},
 * {@code _}, backslashes, blanks, unicode and a 10 000-character id one at a time; this puts
 * confusable ids side by side, so a match that is not exact shows up as a wrong count.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UserIdTest {

  private static final Instant EXPIRY = Instant.now().plus(1, ChronoUnit.DAYS);

  private TestDatabase db;
  private SessionStoreBackend store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private void open(Backend backend) {
    db = backend.freshDatabase();
    store = SessionStoreBackend.connect(db.url());
  }

  private SessionRecord saveSessionOf(String user) {
    SessionRecord record =
        new SessionRecord(
            SessionId.generate(), Map.of(SessionRecord.USER_ID_KEY, user, "of", user), EXPIRY);
    store.save(record);
    return record;
  }

  /** Ids that a LIKE, a collation, case folding or Unicode normalisation would confuse. */
  private static List<String> confusableIds() {
    Random random = new Random(7);
    StringBuilder longId = new StringBuilder();
    while (longId.length() < 10_000) {
      String alphabet = "ab'%_\\\"ж中";
      longId.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    String tenThousand = longId.toString();
    return List.of(
        "alice",
        "Alice",
        "ALICE",
        "alice ",
        " alice",
        "alice\t",
        "al\u200Dice", // a zero-width joiner inside
        "\u202Eecila", // a right-to-left override
        "аlice", // Cyrillic а
        "ａｌｉｃｅ", // fullwidth
        "café", // é precomposed (NFC)
        "cafe\u0301", // e + combining acute (NFD)
        "straße",
        "strasse",
        "STRASSE",
        "İstanbul",
        "i̇stanbul",
        "%",
        "%%",
        "_",
        "__",
        "a%",
        "a_ice",
        "\\%",
        "*",
        ".*",
        "[a-z]*",
        "' OR '1'='1",
        "'; DELETE FROM bodhi_sessions; --",
        "😀",
        "😀😀",
        tenThousand,
        tenThousand.substring(0, 9_999),
        tenThousand + "a");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void confusable_user_ids_side_by_side_are_each_their_own_user_and_clear_only_themselves(
      Backend backend) {
    open(backend);
    Map<String, SessionRecord> sessions = new LinkedHashMap<>();
    for (String user : confusableIds()) {
      sessions.put(user, saveSessionOf(user));
    }
    assertThat(sessions).as("all distinct ids").hasSize(confusableIds().size());

    for (String user : sessions.keySet()) {
      assertThat(store.countSessionsForUser(user)).as("count of [%s]", user).isEqualTo(1);
      assertThat(store.getSessionsForUser(user).stream().map(SessionSummary::ref).toList())
          .as("refs of [%s]", user)
          .containsExactly(store.refOf(sessions.get(user).id()));
      assertThat(store.load(sessions.get(user).id()).flatMap(SessionRecord::userId))
          .as("stored as written")
          .contains(user);
    }
    List<String> cleared = new ArrayList<>();
    for (String user : sessions.keySet()) {
      assertThat(store.clearSessionsForUser(user)).as("clear [%s]", user).isEqualTo(1);
      cleared.add(user);
      assertThat(db.sessionRowCount()).isEqualTo(sessions.size() - cleared.size());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void a_user_id_with_a_nul_is_refused_clearly_and_nothing_is_stored(Backend backend) {
    open(backend);
    SessionRecord other = saveSessionOf("a");

    assertThatThrownBy(
            () ->
                new SessionRecord(
                    SessionId.generate(), Map.of(SessionRecord.USER_ID_KEY, "a\u0000b"), EXPIRY))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.SERIALIZATION);
              assertThat(e.getMessage()).contains("user_id", "NUL");
            });
    SessionHandle request = new SessionHandle(SessionManagerLayer.of(store), List.of());
    assertThatThrownBy(
            () -> {
              request.put(SessionRecord.USER_ID_KEY, "a\u0000b");
              request.commit(false);
            })
        .as("through the session layer: refused by the time the request commits")
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.getMessage()).contains("user_id", "NUL"));

    assertThat(store.countSessionsForUser("a\u0000b")).isZero();
    assertThat(store.clearSessionsForUser("a\u0000b")).isZero();
    assertThat(store.clearSessionsForUser("a\u0000")).isZero();
    assertThat(store.streamAllSessions(1000).toList()).hasSize(1);
    assertThat(content(store.load(other.id()))).contains(content(other));
  }

  /**
   * A Java string may hold a lone UTF-16 surrogate (a truncated emoji, or a JSON "\ud800" escape
   * from a client), which has no UTF-8 form: encoders write '?' instead. If such an id is stored as
   * "?", it is not stored exactly, and it matches the real user "?".
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void a_user_id_with_a_lone_surrogate_is_refused_or_kept_exactly_and_never_matches_another_user(
      Backend backend) {
    open(backend);
    SessionRecord questionMark = saveSessionOf("?");
    String lone = "\uD83D"; // the first half of an emoji

    Optional<SessionServiceException> refused = Optional.empty();
    SessionRecord loneSession = null;
    try {
      loneSession = saveSessionOf(lone);
    } catch (SessionServiceException e) {
      refused = Optional.of(e);
    }

    if (refused.isPresent()) {
      assertThat(refused.get().kind()).isEqualTo(Kind.SERIALIZATION);
    } else {
      assertThat(content(store.load(loneSession.id())))
          .as("the session of the lone-surrogate user loads as it was saved")
          .contains(content(loneSession));
    }
    assertThat(store.countSessionsForUser(lone))
        .as("sessions counted for the lone-surrogate user")
        .isEqualTo(refused.isPresent() ? 0 : 1);
    assertThat(store.clearSessionsForUser(lone)).isEqualTo(refused.isPresent() ? 0 : 1);
    assertThat(content(store.load(questionMark.id())))
        .as("clearing the lone-surrogate user leaves the user \"?\" logged in")
        .contains(content(questionMark));
    assertThat(store.countSessionsForUser("?")).isEqualTo(1);
  }
}

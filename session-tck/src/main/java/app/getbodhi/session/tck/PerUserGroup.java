package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSummary;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "a user's sessions" group of {@link SessionStoreContract}, run per backend as its {@code
 * PerUser} class: counting, listing and clearing a user's sessions, with user ids matched exactly,
 * never as patterns.
 */
abstract class PerUserGroup extends ContractGroup {

  @Test
  void a_user_may_hold_several_sessions() {
    SessionRecord laptop = kit().saveUserSession("alice");
    SessionRecord phone = kit().saveUserSession("alice");
    SessionRecord tablet = kit().saveUserSession("alice");

    assertThat(kit().store().countSessionsForUser("alice")).isEqualTo(3);
    assertThat(kit().store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
        .containsExactlyInAnyOrder(kit().ref(laptop), kit().ref(phone), kit().ref(tablet));
    assertThat(content(kit().store().load(phone.id()))).contains(content(phone));
  }

  @Test
  void count_sessions_for_user_counts_only_that_users_sessions() {
    kit().saveUserSession("alice");
    kit().saveUserSession("alice");
    kit().saveUserSession("bob");
    kit().store().save(kit().session(Map.of("anonymous", true)));

    assertThat(kit().store().countSessionsForUser("alice")).isEqualTo(2);
    assertThat(kit().store().countSessionsForUser("bob")).isEqualTo(1);
    assertThat(kit().store().countSessionsForUser("carol")).isZero();
  }

  @Test
  void get_session_ids_for_user_lists_exactly_that_users_sessions() {
    SessionRecord alice1 = kit().saveUserSession("alice");
    SessionRecord alice2 = kit().saveUserSession("alice");
    kit().saveUserSession("bob");

    assertThat(kit().store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
        .containsExactlyInAnyOrder(kit().ref(alice1), kit().ref(alice2));
    assertThat(kit().store().getSessionsForUser("carol").stream().map(SessionSummary::ref).toList())
        .isEmpty();
  }

  @Test
  void clear_sessions_for_user_deletes_only_that_users_sessions_and_returns_the_count() {
    SessionRecord alice1 = kit().saveUserSession("alice");
    SessionRecord alice2 = kit().saveUserSession("alice");
    SessionRecord bob = kit().saveUserSession("bob");
    SessionRecord anonymous = kit().session(Map.of("anonymous", true));
    kit().store().save(anonymous);

    int cleared = kit().store().clearSessionsForUser("alice");

    assertThat(cleared).isEqualTo(2);
    assertThat(kit().store().load(alice1.id())).isEmpty();
    assertThat(kit().store().load(alice2.id())).isEmpty();
    assertThat(content(kit().store().load(bob.id()))).contains(content(bob));
    assertThat(content(kit().store().load(anonymous.id()))).contains(content(anonymous));
    assertThat(kit().database.sessionRowCount()).isEqualTo(2);
  }

  @Test
  void clear_sessions_for_user_also_deletes_the_users_expired_sessions() {
    kit().saveUserSession("alice");
    kit().saveExpiring("alice", Duration.ofMinutes(1));
    kit().clock.advance(Duration.ofMinutes(2));

    assertThat(kit().store().clearSessionsForUser("alice")).isEqualTo(2);
    assertThat(kit().database.sessionRowCount()).isZero();
  }

  @Test
  void clear_sessions_for_a_user_with_none_returns_zero_and_deletes_nothing() {
    kit().saveUserSession("alice");

    assertThat(kit().store().clearSessionsForUser("nobody")).isZero();
    assertThat(kit().database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void users_are_isolated_from_each_other() {
    SessionRecord alice = kit().saveUserSession("alice");
    SessionRecord bob = kit().saveUserSession("bob");

    assertThat(kit().store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
        .containsExactly(kit().ref(alice));
    assertThat(kit().store().getSessionsForUser("bob").stream().map(SessionSummary::ref).toList())
        .containsExactly(kit().ref(bob));

    kit().store().clearSessionsForUser("bob");

    assertThat(kit().store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
        .containsExactly(kit().ref(alice));
    assertThat(content(kit().store().load(alice.id()))).contains(content(alice));
    assertThat(kit().store().countSessionsForUser("bob")).isZero();
  }

  @Test
  void user_ids_are_matched_exactly_never_as_patterns_or_ignoring_case() {
    SessionRecord abc = kit().saveUserSession("abc");
    kit().saveUserSession("Alice");
    kit().saveUserSession("bob");

    assertThat(kit().store().countSessionsForUser("a_c")).isZero();
    assertThat(kit().store().countSessionsForUser("a%")).isZero();
    assertThat(kit().store().countSessionsForUser("%")).isZero();
    assertThat(kit().store().getSessionsForUser("_bc").stream().map(SessionSummary::ref).toList())
        .isEmpty();
    assertThat(kit().store().countSessionsForUser("alice")).isZero();
    assertThat(kit().store().countSessionsForUser("bob ")).isZero();
    assertThat(kit().store().clearSessionsForUser("a_c")).isZero();
    assertThat(kit().store().clearSessionsForUser("%")).isZero();
    assertThat(kit().store().clearSessionsForUser("ALICE")).isZero();
    assertThat(kit().database.sessionRowCount()).isEqualTo(3);
    assertThat(kit().store().getSessionsForUser("abc").stream().map(SessionSummary::ref).toList())
        .containsExactly(kit().ref(abc));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("app.getbodhi.session.tck.PerUserGroup#unusualUserIds")
  void unusual_user_ids_are_stored_and_matched_exactly(String label, String userId) {
    SessionRecord saved = kit().saveUserSession(userId);
    kit().saveUserSession(userId + "x");

    assertThat(kit().database.userIdColumn(kit().ref(saved))).isEqualTo(userId);
    assertThat(content(kit().store().load(saved.id()))).contains(content(saved));
    assertThat(kit().store().load(saved.id()).orElseThrow().userId()).contains(userId);
    assertThat(kit().store().countSessionsForUser(userId)).isEqualTo(1);
    assertThat(kit().store().getSessionsForUser(userId).stream().map(SessionSummary::ref).toList())
        .containsExactly(kit().ref(saved));
    assertThat(kit().store().streamAllSessions(1000).toList())
        .filteredOn(summary -> summary.ref().equals(kit().ref(saved)))
        .extracting(SessionSummary::userId)
        .containsExactly(Optional.of(userId));
    assertThat(kit().store().clearSessionsForUser(userId)).isEqualTo(1);
    assertThat(kit().store().countSessionsForUser(userId + "x")).isEqualTo(1);
  }

  /**
   * User ids that break naive SQL: unicode, quotes, LIKE wildcards, backslashes, blanks and a 10
   * 000-character id of varied (hardly compressible) characters.
   *
   * @return label and user id pairs
   */
  static Stream<Arguments> unusualUserIds() {
    Random random = new Random(20240601L);
    String alphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éßΩж中文🙂'\"%_\\";
    int[] codePoints = alphabet.codePoints().toArray();
    StringBuilder longId = new StringBuilder();
    while (longId.length() < 10_000) {
      longId.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
    }
    String tenThousand = longId.substring(0, 10_000);
    if (Character.isHighSurrogate(tenThousand.charAt(9_999))) {
      tenThousand = tenThousand.substring(0, 9_999) + "z";
    }
    return Stream.of(
        Arguments.of("unicode letters and emoji", "ユーザー-Ünïcødé-用户-🙂"),
        Arguments.of("single quote", "o'brien"),
        Arguments.of("double quote", "say \"hi\""),
        Arguments.of("SQL injection attempt", "x' OR '1'='1"),
        Arguments.of("percent", "100%"),
        Arguments.of("underscore", "a_c"),
        Arguments.of("backslash", "domain\\user"),
        Arguments.of("surrounding blanks", "  spaced  "),
        Arguments.of("an e-mail address", "alice+test@example.com"),
        Arguments.of("10 000 varied characters", tenThousand));
  }
}

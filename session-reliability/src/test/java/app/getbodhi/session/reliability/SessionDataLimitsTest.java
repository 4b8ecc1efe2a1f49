package app.getbodhi.session.reliability;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Session data too large or nested too deep, on both backends: refused with a SERIALIZATION error
 * before anything is written, so the stored session stays as it was; and a hostile row stored
 * before sealing, once the migration sealed it, cannot crash a load. (SessionStoreContract covers
 * the size limit for save and create on a fixed 2 KiB limit; this adds the exact boundary in bytes,
 * update, the session layer, depth, and the default limit.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionDataLimitsTest {

  private static final int LIMIT = 1024;

  /** {@code {"k":"..."}} is the value's length plus 8 bytes of JSON. */
  private static final int OVERHEAD = 8;

  private static final Instant EXPIRY = Instant.now().plus(1, ChronoUnit.DAYS);

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private SessionStoreBackend open(Backend backend, SessionStoreConfig config) {
    TestDatabase db = backend.freshDatabase();
    opened.add(db);
    SessionStoreBackend store = SessionStoreBackend.connect(db.url(), config);
    opened.add(store);
    return store;
  }

  private static SessionRecord withValue(SessionId id, String value) {
    return new SessionRecord(id, Map.of("k", value), EXPIRY);
  }

  private static void assertRefusedAsSerialization(Runnable call, String... fragments) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.SERIALIZATION);
              for (String fragment : fragments) {
                assertThat(e.getMessage()).contains(fragment);
              }
            });
  }

  /** A map nested {@code levels} deep below the top level: {d: {d: ... {leaf: 1}}}. */
  private static Map<String, Object> nestedMaps(int levels) {
    Map<String, Object> value = Map.of("leaf", 1L);
    for (int i = 1; i < levels; i++) {
      value = Map.of("d", value);
    }
    return value;
  }

  /** A list nested {@code levels} deep: [[[ ... [1] ... ]]]. */
  private static Object nestedLists(int levels) {
    Object value = List.of(1L);
    for (int i = 1; i < levels; i++) {
      value = List.of(value);
    }
    return value;
  }

  @Nested
  class Size {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void the_limit_is_stored_and_one_byte_more_is_refused_leaving_the_session_as_it_was(
        Backend backend) {
      SessionStoreBackend store =
          open(backend, SessionStoreConfig.defaults().withMaxDataBytes(LIMIT));
      SessionId id = SessionId.generate();
      SessionRecord atTheLimit = withValue(id, "x".repeat(LIMIT - OVERHEAD));
      store.save(atTheLimit);
      assertThat(content(store.load(id))).contains(content(atTheLimit));

      SessionRecord oneByteOver = withValue(id, "x".repeat(LIMIT - OVERHEAD + 1));
      assertRefusedAsSerialization(
          () -> store.save(oneByteOver),
          (LIMIT + 1) + " bytes",
          "limit of " + LIMIT,
          "nothing was written");
      assertRefusedAsSerialization(() -> store.updateIfUnchanged(oneByteOver), "limit of " + LIMIT);
      assertRefusedAsSerialization(
          () -> store.create(withValue(SessionId.generate(), "x".repeat(LIMIT))),
          "limit of " + LIMIT);

      assertThat(content(store.load(id)))
          .as("the stored session is unchanged")
          .contains(content(atTheLimit));
      assertThat(store.streamAllSessions(1000).toList()).as("nothing else was written").hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void the_limit_counts_bytes_of_utf8_not_characters(Backend backend) {
      SessionStoreBackend store =
          open(backend, SessionStoreConfig.defaults().withMaxDataBytes(LIMIT));
      // é is two bytes in UTF-8
      int fits = (LIMIT - OVERHEAD) / 2;
      SessionRecord fitting = withValue(SessionId.generate(), "é".repeat(fits));
      store.save(fitting);

      assertThat(content(store.load(fitting.id()))).contains(content(fitting));
      assertRefusedAsSerialization(
          () -> store.save(withValue(SessionId.generate(), "é".repeat(fits + 1))),
          (LIMIT + 2) + " bytes");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void the_default_limit_is_one_mebibyte_of_json(Backend backend) {
      SessionStoreBackend store = open(backend, SessionStoreConfig.defaults());
      int mebibyte = 1024 * 1024;
      assertThat(SessionStoreConfig.defaults().maxDataBytes()).isEqualTo(mebibyte);
      SessionRecord largest = withValue(SessionId.generate(), "x".repeat(mebibyte - OVERHEAD));
      store.save(largest);

      assertThat(content(store.load(largest.id()))).contains(content(largest));
      assertRefusedAsSerialization(
          () -> store.save(withValue(largest.id(), "x".repeat(mebibyte - OVERHEAD + 1))),
          (mebibyte + 1) + " bytes");
      assertThat(content(store.load(largest.id()))).contains(content(largest));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void a_request_that_grows_its_session_past_the_limit_fails_and_writes_nothing(Backend backend) {
      SessionStoreBackend store =
          open(backend, SessionStoreConfig.defaults().withMaxDataBytes(LIMIT));
      SessionManagerLayer layer = SessionManagerLayer.of(store);
      SessionHandle login = new SessionHandle(layer, List.of());
      login.put(SessionRecord.USER_ID_KEY, "alice");
      String cookie = login.commit(false).orElseThrow().value();
      SessionRecord before = store.load(SessionId.parse(cookie).orElseThrow()).orElseThrow();

      SessionHandle request = new SessionHandle(layer, List.of(cookie));
      request.put("blob", "x".repeat(LIMIT));
      assertRefusedAsSerialization(() -> request.commit(false), "limit of " + LIMIT);

      assertThat(content(store.load(before.id()))).contains(content(before));
    }
  }

  @Nested
  class Depth {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void data_nested_sixty_four_levels_round_trips_and_one_level_more_is_refused_before_the_store(
        Backend backend) {
      SessionStoreBackend store = open(backend, SessionStoreConfig.defaults());
      SessionId id = SessionId.generate();
      // the data map is level 1, so 63 levels below it reach the limit of 64
      SessionRecord deepest =
          new SessionRecord(id, Map.of("maps", nestedMaps(63), "lists", nestedLists(63)), EXPIRY);
      store.save(deepest);
      assertThat(content(store.load(id))).contains(content(deepest));

      assertRefusedAsSerialization(
          () -> new SessionRecord(id, Map.of("maps", nestedMaps(64)), EXPIRY), "deeper than 64");
      assertRefusedAsSerialization(
          () -> new SessionRecord(id, Map.of("lists", nestedLists(64)), EXPIRY), "deeper than 64");
      assertRefusedAsSerialization(
          () -> new SessionRecord(id, Map.of("hostile", nestedLists(100_000)), EXPIRY),
          "deeper than 64");

      assertThat(content(store.load(id)))
          .as("the stored session is unchanged")
          .contains(content(deepest));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void a_request_setting_a_too_deep_value_is_refused_at_once_and_leaves_the_session_as_it_was(
        Backend backend) {
      SessionStoreBackend store = open(backend, SessionStoreConfig.defaults());
      SessionManagerLayer layer = SessionManagerLayer.of(store);
      SessionHandle login = new SessionHandle(layer, List.of());
      login.put("visits", 1L);
      String cookie = login.commit(false).orElseThrow().value();
      SessionRecord before = store.load(SessionId.parse(cookie).orElseThrow()).orElseThrow();

      SessionHandle request = new SessionHandle(layer, List.of(cookie));
      assertRefusedAsSerialization(() -> request.put("deep", nestedMaps(200)), "deeper than 64");
      request.commit(false);

      assertThat(content(store.load(before.id()))).contains(content(before));
    }

    /**
     * A row the store cannot parse once opened. Such a row can no longer be written behind the
     * store's back (it would have to be sealed under the id's key), so it is planted as a session
     * stored before sealing, which the sealing migration seals as it finds it: the JSON inside is
     * then exactly as hostile as the row was.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void a_hostile_row_stored_before_sealing_fails_its_load_cleanly_instead_of_crashing(
        Backend backend) {
      TestDatabase db = backend.freshDatabase();
      opened.add(db);
      SessionId tooDeepForTheRecord = SessionId.generate();
      SessionId tooDeepForTheParser = SessionId.generate();
      db.createLegacySessionTable(
          tooDeepForTheRecord, "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}", EXPIRY);
      db.insertSessionRow(
          tooDeepForTheParser,
          ("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
              .getBytes(StandardCharsets.UTF_8),
          EXPIRY);
      // connecting migrates, and so seals both rows
      SessionStoreBackend store =
          SessionStoreBackend.connect(db.url(), SessionStoreConfig.defaults());
      opened.add(store);
      assertThat(
              db.queryLong(
                  "SELECT count(*) FROM bodhi_sessions WHERE id IN (?, ?)",
                  store.refOf(tooDeepForTheRecord).value(),
                  store.refOf(tooDeepForTheParser).value()))
          .as("both rows sealed under their refs")
          .isEqualTo(2);

      assertRefusedAsSerialization(() -> store.load(tooDeepForTheRecord));
      assertRefusedAsSerialization(() -> store.load(tooDeepForTheParser));
      assertThat(store.streamAllSessions(1000).toList()).hasSize(2);
    }
  }
}

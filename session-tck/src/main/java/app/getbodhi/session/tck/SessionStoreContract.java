package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link ManagedSessionStore} backend honours, as a JUnit 5 test kit (in the
 * style of Micrometer's TCK): extend it in a backend's tests, say how to make a fresh database and
 * how to open the backend's store on it, and every test below runs against that backend.
 *
 * <pre>{@code
 * class SqliteSessionStoreContractTest extends SessionStoreContract {
 *   SqliteSessionStoreContractTest() {
 *     super(SqliteFixture::tempFile, SqliteSessionStore::open, SqliteSessionStore::new);
 *   }
 * }
 * }</pre>
 *
 * <p>A backend that needs more than a factory call overrides {@link #newDatabase()} and the two
 * {@code newStore} methods instead, and calls the no-argument constructor.
 *
 * <p>Each test gets a fresh, empty {@link TestDatabase} and a {@link MutableClock}; time moves only
 * when a test advances the clock. Stores opened through {@link #open(SessionStoreConfig)} are
 * closed, and the database removed, after each test. Raw SQL checks (the {@code user_id} column,
 * the indexes, the migration history) go through {@link TestDatabase}, bypassing the store.
 *
 * <p>The kit asks more than {@link ManagedSessionStore}'s defaults give: {@code saveAll} must be
 * all or nothing, which its default (one {@code save} at a time) is not.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SessionStoreContract extends StoreContractKit {

  /**
   * For a backend that overrides {@link #newDatabase()} and both {@code newStore} methods itself.
   */
  protected SessionStoreContract() {}

  /**
   * For a backend whose database and stores each come from one factory call, the usual case.
   *
   * @param databases makes a fresh, empty database, as {@link #newDatabase()} does
   * @param storesByUrl opens the store on a URL, as {@link #newStore(String, SessionStoreConfig)}
   * @param storesOnPool opens the store on a caller's data source, as {@link #newStore(DataSource,
   *     SessionStoreConfig)}
   */
  protected SessionStoreContract(
      Supplier<TestDatabase> databases,
      BiFunction<String, SessionStoreConfig, ManagedSessionStore> storesByUrl,
      BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> storesOnPool) {
    super(databases, storesByUrl, storesOnPool);
  }

  private static Map<String, Object> mapOf(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Nested
  @DisplayName("migration")
  class Migration {

    @Test
    void
        migrate_on_an_empty_database_creates_the_session_table_with_the_user_id_column_and_both_indexes() {
      assertThat(database.tableNames()).doesNotContain(TABLE);

      open(config()).migrate();

      assertThat(database.tableNames()).contains(TABLE);
      assertThat(database.columnNames(TABLE))
          .containsExactlyInAnyOrder(
              "id",
              "data",
              "expiry_date",
              "user_id",
              "revision",
              "created_at",
              "last_accessed_at",
              "max_inactive_seconds");
      assertThat(database.indexNames(TABLE)).contains(USER_ID_INDEX, EXPIRY_INDEX);
    }

    @Test
    void migrate_keeps_its_history_in_its_own_table_with_every_version_applied_once() {
      open(config()).migrate();

      assertThat(database.tableNames())
          .contains(HISTORY_TABLE)
          .doesNotContain("flyway_schema_history");
      assertThatEveryVersionWasAppliedOnce();
    }

    @Test
    void migrating_twice_is_harmless_and_keeps_stored_sessions() {
      ManagedSessionStore first = openMigrated(config());
      SessionRecord saved = userSession("alice");
      first.save(saved);

      assertThatCode(first::migrate).doesNotThrowAnyException();
      ManagedSessionStore second = open(config());
      assertThatCode(second::migrate).doesNotThrowAnyException();

      assertThat(content(second.load(saved.id()))).contains(content(saved));
      assertThat(content(first.load(saved.id()))).contains(content(saved));
      assertThat(database.indexNames(TABLE)).contains(USER_ID_INDEX, EXPIRY_INDEX);
      assertThatEveryVersionWasAppliedOnce();
    }

    @Test
    void migrate_keeps_an_unrelated_table_and_its_rows() {
      database.execute("CREATE TABLE app_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
      database.execute("INSERT INTO app_users (id, name) VALUES (1, 'alice')");

      ManagedSessionStore migrated = openMigrated(config());

      assertThat(database.tableNames()).contains("app_users", TABLE);
      assertThat(database.queryStrings("SELECT name FROM app_users WHERE id = 1"))
          .containsExactly("alice");
      SessionRecord saved = userSession("alice");
      migrated.save(saved);
      assertThat(content(migrated.load(saved.id()))).contains(content(saved));
      assertThat(database.indexNames(TABLE)).contains(USER_ID_INDEX, EXPIRY_INDEX);
    }

    @Test
    void migrate_adds_user_id_and_its_index_to_a_legacy_table_and_keeps_its_row() {
      SessionId legacyId = SessionId.generate();
      Instant expiry = clock.instant().plus(TTL);
      database.createLegacySessionTable(
          legacyId, "{\"user_id\":\"legacy-user\",\"theme\":\"dark\",\"visits\":3}", expiry);
      assertThat(database.columnNames(TABLE)).doesNotContain("user_id");

      ManagedSessionStore migrated = openMigrated(config());

      assertThat(database.columnNames(TABLE)).contains("user_id");
      assertThat(database.indexNames(TABLE)).contains(USER_ID_INDEX, EXPIRY_INDEX);
      assertThat(database.sessionRowCount()).isEqualTo(1);
      assertThat(content(migrated.load(legacyId)))
          .contains(
              new SessionRecord(
                  legacyId,
                  mapOf("user_id", "legacy-user", "theme", "dark", "visits", 3L),
                  expiry));
      // the next save of the legacy session fills the new column
      migrated.save(migrated.load(legacyId).orElseThrow());
      assertThat(database.userIdColumn(ref(legacyId))).isEqualTo("legacy-user");
      assertThat(migrated.countSessionsForUser("legacy-user")).isEqualTo(1);
    }

    @Test
    void migrating_a_legacy_table_twice_keeps_its_row() {
      SessionId legacyId = SessionId.generate();
      database.createLegacySessionTable(legacyId, "{\"a\":1}", clock.instant().plus(TTL));

      openMigrated(config());
      ManagedSessionStore again = openMigrated(config());

      assertThat(again.load(legacyId)).map(SessionRecord::data).contains(Map.of("a", 1L));
      assertThatEveryVersionWasAppliedOnce();
    }
  }

  @Nested
  @DisplayName("the backend")
  class Backend {

    @Test
    void the_store_names_the_backend_it_runs_on() {
      assertThat(store().backendName()).isEqualTo(database.backendName());
    }

    @Test
    void a_store_on_a_caller_data_source_works_and_leaves_it_open_when_closed() {
      ManagedSessionStore onCallerPool = newStore(database.dataSource(), config());
      try {
        onCallerPool.migrate();
        SessionRecord saved = userSession("alice");
        onCallerPool.save(saved);
        assertThat(content(onCallerPool.load(saved.id()))).contains(content(saved));
      } finally {
        onCallerPool.close();
      }

      assertThat(database.sessionRowCount()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("saving")
  class Saving {

    @Test
    void save_with_a_user_id_writes_it_to_the_user_id_column() {
      SessionRecord saved = saveUserSession("alice");

      assertThat(database.userIdColumn(ref(saved))).isEqualTo("alice");
    }

    @Test
    void save_without_a_user_id_leaves_the_user_id_column_null() {
      SessionRecord saved = session(Map.of("cart", List.of("apple")));
      store().save(saved);

      assertThat(database.sessionRowCount()).isEqualTo(1);
      assertThat(database.userIdColumn(ref(saved))).isNull();
      assertThat(content(store().load(saved.id()))).contains(content(saved));
    }

    @Test
    void removing_the_user_id_key_and_saving_again_sets_the_column_back_to_null() {
      SessionRecord loggedIn = saveUserSession("alice");
      assertThat(database.userIdColumn(ref(loggedIn))).isEqualTo("alice");

      Map<String, Object> loggedOutData = new HashMap<>(loggedIn.data());
      loggedOutData.remove(SessionRecord.USER_ID_KEY);
      SessionRecord loggedOut =
          new SessionRecord(loggedIn.id(), loggedOutData, loggedIn.expiryDate());
      store().save(loggedOut);

      assertStoredWithoutAUser(loggedOut, "alice");
    }

    @Test
    void a_user_id_that_is_not_a_string_is_not_indexed_as_a_user() {
      SessionRecord saved = session(Map.of(SessionRecord.USER_ID_KEY, 42L));
      store().save(saved);

      assertStoredWithoutAUser(saved, "42");
    }

    /** The saved session is stored whole, with a null user id column, and counts for no user. */
    private void assertStoredWithoutAUser(SessionRecord saved, String notAUser) {
      assertThat(database.userIdColumn(ref(saved))).isNull();
      assertThat(store().countSessionsForUser(notAUser)).isZero();
      assertThat(content(store().load(saved.id()))).contains(content(saved));
    }

    @Test
    void saving_again_replaces_data_expiry_and_user_in_the_one_row() {
      SessionRecord first = saveUserSession("alice");
      SessionRecord second =
          new SessionRecord(
              first.id(),
              Map.of(SessionRecord.USER_ID_KEY, "bob", "step", 2L),
              first.expiryDate().plus(Duration.ofMinutes(30)));

      store().save(second);

      assertThat(database.sessionRowCount()).isEqualTo(1);
      assertThat(content(store().load(first.id()))).contains(content(second));
      assertThat(database.userIdColumn(ref(first))).isEqualTo("bob");
      assertThat(store().countSessionsForUser("alice")).isZero();
      assertThat(store().getSessionsForUser("bob").stream().map(SessionSummary::ref).toList())
          .containsExactly(ref(first));
    }

    @Test
    void a_user_id_with_a_nul_character_is_refused_and_queries_for_it_find_nothing() {
      saveUserSession("alice");

      assertThatThrownBy(() -> userSession("al\0ice"))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));
      assertThat(store().countSessionsForUser("al\0ice")).isZero();
      assertThat(store().getSessionsForUser("al\0ice").stream().map(SessionSummary::ref).toList())
          .isEmpty();
      assertThat(store().clearSessionsForUser("al\0ice")).isZero();
      assertThat(store().countSessionsForUser("alice")).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("saving many at once")
  class SavingMany {

    @Test
    void save_all_stores_every_record_and_overwrites_those_already_stored() {
      SessionRecord existing = saveUserSession("alice");
      SessionRecord replaced =
          new SessionRecord(
              existing.id(), Map.of(SessionRecord.USER_ID_KEY, "bob"), existing.expiryDate());
      List<SessionRecord> batch = new ArrayList<>(List.of(replaced));
      for (int i = 0; i < 300; i++) {
        batch.add(userSession("user-" + i));
      }

      store().saveAll(batch);

      assertThat(database.sessionRowCount()).isEqualTo(301);
      for (SessionRecord record : batch) {
        assertThat(content(store().load(record.id()))).contains(content(record));
      }
      assertThat(store().countSessionsForUser("alice")).isZero();
      assertThat(database.userIdColumn(ref(existing))).isEqualTo("bob");
    }

    @Test
    void of_two_records_with_one_id_the_later_one_is_stored() {
      SessionRecord first = userSession("alice");
      SessionRecord later =
          new SessionRecord(first.id(), Map.of("step", 2L), first.expiryDate().plusSeconds(60));

      store().saveAll(List.of(first, later));

      assertThat(content(store().load(first.id()))).contains(content(later));
    }

    @Test
    void an_empty_list_writes_nothing() {
      store().saveAll(List.of());

      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void one_record_over_the_size_limit_refuses_the_whole_call_and_nothing_changes() {
      try (ManagedSessionStore small =
          openMigrated(config().withMaxDataBytes(SessionStoreConfig.MIN_MAX_DATA_BYTES))) {
        SessionRecord kept = userSession("alice");
        small.save(kept);
        SessionRecord changed = new SessionRecord(kept.id(), Map.of("step", 2L), kept.expiryDate());
        SessionRecord tooLarge =
            session(Map.of("blob", "x".repeat(SessionStoreConfig.MIN_MAX_DATA_BYTES)));

        assertThatThrownBy(() -> small.saveAll(List.of(changed, userSession("bob"), tooLarge)))
            .isInstanceOfSatisfying(
                SessionServiceException.class,
                e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));

        assertThat(content(small.load(kept.id()))).contains(content(kept));
        assertThat(database.sessionRowCount()).isEqualTo(1);
      }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"its own pool", "a caller's data source"})
    void a_database_error_on_one_record_writes_none_of_them_and_the_store_works_on(String where)
        throws Exception {
      ManagedSessionStore target =
          where.equals("its own pool") ? store() : newStore(database.dataSource(), config());
      try {
        SessionRecord kept = saveUserSession("alice");
        SessionRecord changed = new SessionRecord(kept.id(), Map.of("step", 2L), kept.expiryDate());
        List<SessionRecord> batch =
            List.of(changed, userSession("bob"), userSession("poison"), userSession("carol"));

        try (AutoCloseable refusal = database.refuseWritesOfUser("poison")) {
          assertThatThrownBy(() -> target.saveAll(batch))
              .isInstanceOfSatisfying(
                  SessionServiceException.class,
                  e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE))
              .hasMessageStartingWith("Could not save sessions in the " + database.backendName())
              .satisfies(
                  e -> {
                    // a batch failure may not quote the batch: ids and data are secrets
                    String trace = printed(e);
                    for (SessionRecord record : batch) {
                      assertThat(trace).doesNotContain(record.id().value());
                    }
                    // the role value of every session in the batch, as text and as bytea hex
                    assertThat(trace).doesNotContain("member").doesNotContain("6d656d626572");
                  });
        }

        assertThat(content(target.load(kept.id()))).contains(content(kept));
        assertThat(database.sessionRowCount()).isEqualTo(1);
        // the failed connection went back in auto-commit, with no statement left half-bound
        target.saveAll(batch);
        assertThat(database.sessionRowCount()).isEqualTo(4);
        target.save(userSession("dave"));
        assertThat(database.sessionRowCount()).isEqualTo(5);
        assertThat(content(target.load(kept.id()))).contains(content(changed));
      } finally {
        if (target != store()) {
          target.close();
        }
      }
    }

    @Test
    void more_records_than_the_limit_are_refused_before_anything_is_written() {
      List<SessionRecord> tooMany = new ArrayList<>();
      SessionRecord one = userSession("alice");
      for (int i = 0; i <= ManagedSessionStore.MAX_SAVE_ALL; i++) {
        tooMany.add(one);
      }

      assertThatThrownBy(() -> store().saveAll(tooMany))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("MAX_SAVE_ALL")
          .hasMessageContaining(String.valueOf(ManagedSessionStore.MAX_SAVE_ALL));
      assertThat(database.sessionRowCount()).isZero();
    }
  }

  @Nested
  @DisplayName("loading")
  class Loading {

    @Test
    void load_returns_a_record_equal_to_the_saved_one() {
      SessionRecord saved =
          session(mapOf("user_id", "alice", "csrf", "t0k3n", "count", 7L, "admin", false));
      store().save(saved);

      Optional<SessionRecord> loaded = store().load(saved.id());

      assertThat(content(loaded)).contains(content(saved));
      assertThat(loaded.orElseThrow().expiryDate()).isEqualTo(saved.expiryDate());
      assertThat(loaded.orElseThrow().userId()).contains("alice");
    }

    @Test
    void load_of_an_unknown_id_is_empty() {
      saveUserSession("alice");

      assertThat(store().load(SessionId.generate())).isEmpty();
    }

    @Test
    void a_second_store_on_the_same_database_loads_what_the_first_saved() {
      SessionRecord saved = saveUserSession("alice");

      ManagedSessionStore otherNode = open(config());

      assertThat(content(otherNode.load(saved.id()))).contains(content(saved));
      assertThat(otherNode.countSessionsForUser("alice")).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("deleting")
  class Deleting {

    @Test
    void delete_removes_the_session_and_leaves_the_others() {
      SessionRecord doomed = saveUserSession("alice");
      SessionRecord kept = saveUserSession("alice");

      store().delete(doomed.id());

      assertThat(store().load(doomed.id())).isEmpty();
      assertThat(content(store().load(kept.id()))).contains(content(kept));
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void delete_of_a_missing_id_does_nothing() {
      SessionRecord kept = saveUserSession("alice");

      assertThatCode(() -> store().delete(SessionId.generate())).doesNotThrowAnyException();

      assertThat(content(store().load(kept.id()))).contains(content(kept));
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void deleting_the_same_session_twice_is_harmless() {
      SessionRecord doomed = saveUserSession("alice");

      store().delete(doomed.id());
      assertThatCode(() -> store().delete(doomed.id())).doesNotThrowAnyException();

      assertThat(database.sessionRowCount()).isZero();
    }
  }

  @Nested
  @DisplayName("creating")
  class Creating {

    @Test
    void create_on_a_free_id_keeps_that_id() {
      SessionRecord wanted = userSession("alice");

      SessionRecord created = store().create(wanted);

      assertThat(content(created)).isEqualTo(content(wanted));
      assertThat(created.createdAt()).contains(clock.instant());
      assertThat(created.lastAccessedAt()).contains(clock.instant());
      assertThat(created.revision()).isZero();
      assertThat(content(store().load(wanted.id()))).contains(content(wanted));
      assertThat(database.userIdColumn(ref(wanted))).isEqualTo("alice");
    }

    @Test
    void create_on_a_taken_id_returns_a_record_with_a_new_id_and_leaves_the_original_untouched() {
      SessionRecord original = session(mapOf("user_id", "alice", "owner", "first"));
      store().save(original);
      SessionRecord intruder =
          new SessionRecord(
              original.id(), mapOf("user_id", "mallory", "owner", "second"), original.expiryDate());

      SessionRecord created = store().create(intruder);

      assertThat(created.id()).isNotEqualTo(original.id());
      assertThat(created.data()).isEqualTo(intruder.data());
      assertThat(created.expiryDate()).isEqualTo(intruder.expiryDate());
      assertThat(content(store().load(original.id()))).contains(content(original));
      assertThat(content(store().load(created.id()))).contains(content(created));
      assertThat(database.userIdColumn(ref(original))).isEqualTo("alice");
      assertThat(database.userIdColumn(ref(created))).isEqualTo("mallory");
      assertThat(database.sessionRowCount()).isEqualTo(2);
    }

    @Test
    void eight_threads_creating_on_one_id_at_once_get_eight_distinct_ids_and_lose_nothing()
        throws Exception {
      SessionId contested = SessionId.generate();
      int threads = 8;
      List<Callable<SessionRecord>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SessionRecord record =
            new SessionRecord(contested, Map.of("thread", (long) t), clock.instant().plus(TTL));
        tasks.add(() -> store().create(record));
      }
      store(); // open before the race so all threads share one store

      List<SessionRecord> created = Concurrently.runAtOnce(tasks);

      assertThat(created).extracting(SessionRecord::id).doesNotHaveDuplicates().contains(contested);
      assertThat(created).filteredOn(r -> r.id().equals(contested)).hasSize(1);
      for (SessionRecord record : created) {
        assertThat(content(store().load(record.id()))).contains(content(record));
      }
      assertThat(database.sessionRowCount()).isEqualTo(threads);
    }
  }

  @Nested
  @DisplayName("a user's sessions")
  class PerUser {

    @Test
    void a_user_may_hold_several_sessions() {
      SessionRecord laptop = saveUserSession("alice");
      SessionRecord phone = saveUserSession("alice");
      SessionRecord tablet = saveUserSession("alice");

      assertThat(store().countSessionsForUser("alice")).isEqualTo(3);
      assertThat(store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
          .containsExactlyInAnyOrder(ref(laptop), ref(phone), ref(tablet));
      assertThat(content(store().load(phone.id()))).contains(content(phone));
    }

    @Test
    void count_sessions_for_user_counts_only_that_users_sessions() {
      saveUserSession("alice");
      saveUserSession("alice");
      saveUserSession("bob");
      store().save(session(Map.of("anonymous", true)));

      assertThat(store().countSessionsForUser("alice")).isEqualTo(2);
      assertThat(store().countSessionsForUser("bob")).isEqualTo(1);
      assertThat(store().countSessionsForUser("carol")).isZero();
    }

    @Test
    void get_session_ids_for_user_lists_exactly_that_users_sessions() {
      SessionRecord alice1 = saveUserSession("alice");
      SessionRecord alice2 = saveUserSession("alice");
      saveUserSession("bob");

      assertThat(store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
          .containsExactlyInAnyOrder(ref(alice1), ref(alice2));
      assertThat(store().getSessionsForUser("carol").stream().map(SessionSummary::ref).toList())
          .isEmpty();
    }

    @Test
    void clear_sessions_for_user_deletes_only_that_users_sessions_and_returns_the_count() {
      SessionRecord alice1 = saveUserSession("alice");
      SessionRecord alice2 = saveUserSession("alice");
      SessionRecord bob = saveUserSession("bob");
      SessionRecord anonymous = session(Map.of("anonymous", true));
      store().save(anonymous);

      int cleared = store().clearSessionsForUser("alice");

      assertThat(cleared).isEqualTo(2);
      assertThat(store().load(alice1.id())).isEmpty();
      assertThat(store().load(alice2.id())).isEmpty();
      assertThat(content(store().load(bob.id()))).contains(content(bob));
      assertThat(content(store().load(anonymous.id()))).contains(content(anonymous));
      assertThat(database.sessionRowCount()).isEqualTo(2);
    }

    @Test
    void clear_sessions_for_user_also_deletes_the_users_expired_sessions() {
      saveUserSession("alice");
      saveExpiring("alice", Duration.ofMinutes(1));
      clock.advance(Duration.ofMinutes(2));

      assertThat(store().clearSessionsForUser("alice")).isEqualTo(2);
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void clear_sessions_for_a_user_with_none_returns_zero_and_deletes_nothing() {
      saveUserSession("alice");

      assertThat(store().clearSessionsForUser("nobody")).isZero();
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void users_are_isolated_from_each_other() {
      SessionRecord alice = saveUserSession("alice");
      SessionRecord bob = saveUserSession("bob");

      assertThat(store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
          .containsExactly(ref(alice));
      assertThat(store().getSessionsForUser("bob").stream().map(SessionSummary::ref).toList())
          .containsExactly(ref(bob));

      store().clearSessionsForUser("bob");

      assertThat(store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
          .containsExactly(ref(alice));
      assertThat(content(store().load(alice.id()))).contains(content(alice));
      assertThat(store().countSessionsForUser("bob")).isZero();
    }

    @Test
    void user_ids_are_matched_exactly_never_as_patterns_or_ignoring_case() {
      SessionRecord abc = saveUserSession("abc");
      saveUserSession("Alice");
      saveUserSession("bob");

      assertThat(store().countSessionsForUser("a_c")).isZero();
      assertThat(store().countSessionsForUser("a%")).isZero();
      assertThat(store().countSessionsForUser("%")).isZero();
      assertThat(store().getSessionsForUser("_bc").stream().map(SessionSummary::ref).toList())
          .isEmpty();
      assertThat(store().countSessionsForUser("alice")).isZero();
      assertThat(store().countSessionsForUser("bob ")).isZero();
      assertThat(store().clearSessionsForUser("a_c")).isZero();
      assertThat(store().clearSessionsForUser("%")).isZero();
      assertThat(store().clearSessionsForUser("ALICE")).isZero();
      assertThat(database.sessionRowCount()).isEqualTo(3);
      assertThat(store().getSessionsForUser("abc").stream().map(SessionSummary::ref).toList())
          .containsExactly(ref(abc));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("app.getbodhi.session.tck.SessionStoreContract#unusualUserIds")
    void unusual_user_ids_are_stored_and_matched_exactly(String label, String userId) {
      SessionRecord saved = saveUserSession(userId);
      saveUserSession(userId + "x");

      assertThat(database.userIdColumn(ref(saved))).isEqualTo(userId);
      assertThat(content(store().load(saved.id()))).contains(content(saved));
      assertThat(store().load(saved.id()).orElseThrow().userId()).contains(userId);
      assertThat(store().countSessionsForUser(userId)).isEqualTo(1);
      assertThat(store().getSessionsForUser(userId).stream().map(SessionSummary::ref).toList())
          .containsExactly(ref(saved));
      assertThat(store().streamAllSessions(1000).toList())
          .filteredOn(summary -> summary.ref().equals(ref(saved)))
          .extracting(SessionSummary::userId)
          .containsExactly(Optional.of(userId));
      assertThat(store().clearSessionsForUser(userId)).isEqualTo(1);
      assertThat(store().countSessionsForUser(userId + "x")).isEqualTo(1);
    }
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

  @Nested
  @DisplayName("clearing all sessions")
  class ClearingAll {

    @Test
    void clear_all_sessions_returns_the_count_and_empties_the_store() {
      SessionRecord alice = saveUserSession("alice");
      saveUserSession("bob");
      store().save(session(Map.of("anonymous", true)));
      saveExpiring("carol", Duration.ofMinutes(1));
      clock.advance(Duration.ofMinutes(2));

      assertThat(store().clearAllSessions()).isEqualTo(4);

      assertThat(database.sessionRowCount()).isZero();
      assertThat(store().load(alice.id())).isEmpty();
      assertThat(store().streamAllSessions(1000).toList()).isEmpty();
    }

    @Test
    void clear_all_sessions_on_an_empty_store_returns_zero() {
      assertThat(store().clearAllSessions()).isZero();
    }
  }

  @Nested
  @DisplayName("expiry")
  class Expiry {

    @Test
    void a_session_loads_until_its_expiry_and_not_from_then_on() {
      SessionRecord saved = saveExpiring("alice", Duration.ofMinutes(10));

      clock.advance(Duration.ofMinutes(10).minusMillis(1));
      assertThat(content(store().load(saved.id()))).contains(content(saved));

      clock.advance(Duration.ofMillis(1));
      assertThat(store().load(saved.id())).isEmpty();
      assertThat(database.sessionRowCount()).as("expired rows stay until purged").isEqualTo(1);
    }

    @Test
    void expired_sessions_are_neither_counted_nor_listed_for_their_user() {
      SessionRecord live = saveUserSession("alice");
      saveExpiring("alice", Duration.ofMinutes(5));

      clock.advance(Duration.ofMinutes(5));

      assertThat(store().countSessionsForUser("alice")).isEqualTo(1);
      assertThat(store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
          .containsExactly(ref(live));
    }

    @Test
    void delete_expired_removes_expired_sessions_and_leaves_live_ones() {
      SessionRecord expired1 = saveExpiring("alice", Duration.ofMinutes(1));
      SessionRecord expired2 = saveExpiring(null, Duration.ofMinutes(2));
      SessionRecord live1 = saveUserSession("alice");
      SessionRecord live2 = saveExpiring("bob", Duration.ofMinutes(3));
      clock.advance(Duration.ofMinutes(2));

      int deleted = store().deleteExpired();

      assertThat(deleted).isEqualTo(2);
      assertThat(store().streamAllSessions(1000).toList())
          .extracting(SessionSummary::ref)
          .containsExactlyInAnyOrder(ref(live1), ref(live2))
          .doesNotContain(ref(expired1), ref(expired2));
      assertThat(content(store().load(live2.id()))).contains(content(live2));
      assertThat(store().deleteExpired()).as("a second purge finds nothing").isZero();
    }

    @ParameterizedTest(name = "{0} expired rows, batch size 3")
    @ValueSource(ints = {0, 1, 3, 9, 10})
    void delete_expired_deletes_every_expired_row_whatever_the_batch_size(int expiredRows) {
      ManagedSessionStore batched = openMigrated(config().withDeleteBatchSize(3));
      for (int i = 0; i < expiredRows; i++) {
        batched.save(
            new SessionRecord(
                SessionId.generate(), Map.of("i", (long) i), clock.instant().plusSeconds(i + 1)));
      }
      SessionRecord live1 = session(Map.of("live", 1L));
      SessionRecord live2 = session(Map.of("live", 2L));
      batched.save(live1);
      batched.save(live2);
      clock.advance(Duration.ofSeconds(expiredRows));

      assertThat(batched.deleteExpired()).isEqualTo(expiredRows);

      assertThat(database.sessionRowCount()).isEqualTo(2);
      assertThat(content(batched.load(live1.id()))).contains(content(live1));
      assertThat(content(batched.load(live2.id()))).contains(content(live2));
    }

    @Test
    void saving_with_a_later_expiry_keeps_a_session_alive() {
      SessionRecord saved = saveExpiring("alice", Duration.ofMinutes(10));
      clock.advance(Duration.ofMinutes(9));
      SessionRecord touched =
          new SessionRecord(saved.id(), saved.data(), clock.instant().plus(Duration.ofMinutes(10)));
      store().save(touched);

      clock.advance(Duration.ofMinutes(5));

      assertThat(content(store().load(saved.id()))).contains(content(touched));
      assertThat(store().deleteExpired()).isZero();
    }
  }

  @Nested
  @DisplayName("session data")
  class Data {

    @Test
    void nested_json_data_round_trips_exactly() {
      Map<String, Object> deep = new LinkedHashMap<>();
      Object nested = "bottom";
      for (int level = 0; level < 30; level++) {
        nested = level % 2 == 0 ? List.of(nested) : Map.of("level" + level, nested);
      }
      deep.put("deep", nested);
      Map<String, Object> data =
          mapOf(
              "user_id", "alice",
              "profile",
                  mapOf(
                      "name", "Zoë 佐藤 🙂",
                      "roles", List.of("admin", "editor"),
                      "addresses",
                          List.of(
                              mapOf("city", "Zürich", "zip", 8001L, "primary", true),
                              mapOf("city", "東京", "zip", null, "primary", false))),
              "longs", List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE),
              "doubles", List.of(0.1, -2.5e-10, 1.0e300, Double.MAX_VALUE, Double.MIN_VALUE, -0.0),
              "booleans", List.of(true, false),
              "nulls", Arrays.asList(null, "x", null),
              "nothing", null,
              "empty map", Map.of(),
              "empty list", List.of(),
              "empty string", "",
              "escapes", "quote \" backslash \\ newline \n tab \t nul \u0000 line-sep \u2028",
              "keys with.dots and [brackets]", Map.of("", "empty key"),
              "deep", deep);
      SessionRecord saved = session(data);

      store().save(saved);
      SessionRecord loaded = store().load(saved.id()).orElseThrow();

      assertThat(content(loaded)).isEqualTo(content(saved));
      assertThat(loaded.data()).isEqualTo(saved.data());
      assertThat(((List<?>) loaded.data().get("longs")).get(2)).isEqualTo(Long.MAX_VALUE);
      assertThat(((List<?>) loaded.data().get("doubles")).get(5)).isEqualTo(-0.0);
      assertThat(loaded.data()).containsEntry("nothing", null);
    }

    @Test
    void integers_beyond_the_range_of_long_round_trip_exactly() {
      BigInteger big = new BigInteger("123456789012345678901234567890");
      SessionRecord saved =
          session(mapOf("big", big, "negative", big.negate(), "list", List.of(big)));

      store().save(saved);

      assertThat(content(store().load(saved.id()))).contains(content(saved));
    }

    @Test
    void integral_numbers_come_back_as_longs_and_fractions_as_doubles() {
      SessionRecord saved = session(mapOf("int", 7, "short", (short) 3, "float", 0.5f, "one", 1.0));

      store().save(saved);

      assertThat(store().load(saved.id()).orElseThrow().data())
          .containsEntry("int", 7L)
          .containsEntry("short", 3L)
          .containsEntry("float", 0.5)
          .containsEntry("one", 1.0);
    }

    @Test
    void a_non_json_value_is_refused_with_a_serialization_error_when_the_record_is_built() {
      SessionId id = SessionId.generate();
      Instant expiry = clock.instant().plus(TTL);

      assertThatThrownBy(() -> new SessionRecord(id, mapOf("widget", new Object()), expiry))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION);
                assertThat(e.getMessage()).contains("widget").doesNotContain(id.value());
              });
      assertThatThrownBy(
              () ->
                  new SessionRecord(
                      id, mapOf("list", List.of(Map.of("inner", new Object()))), expiry))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));
      assertThat(store().load(id)).isEmpty();
    }

    @Test
    void data_over_the_size_limit_is_refused_and_the_stored_session_is_unchanged() {
      ManagedSessionStore limited = openMigrated(config().withMaxDataBytes(2048));
      SessionRecord original = session(mapOf("user_id", "alice", "note", "small"));
      limited.save(original);
      SessionRecord oversized =
          new SessionRecord(
              original.id(),
              mapOf("user_id", "bob", "note", "x".repeat(3000)),
              original.expiryDate());

      assertThatThrownBy(() -> limited.save(oversized))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION);
                assertThat(e.getMessage()).doesNotContain(original.id().value());
              });

      assertThat(content(limited.load(original.id()))).contains(content(original));
      assertThat(database.userIdColumn(ref(original))).isEqualTo("alice");
    }

    @Test
    void data_over_the_size_limit_is_refused_by_create_and_nothing_is_stored() {
      ManagedSessionStore limited = openMigrated(config().withMaxDataBytes(2048));
      SessionRecord oversized = session(Map.of("note", "x".repeat(3000)));

      assertThatThrownBy(() -> limited.create(oversized))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));

      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void data_within_the_size_limit_is_stored() {
      ManagedSessionStore limited = openMigrated(config().withMaxDataBytes(2048));
      SessionRecord fits = session(Map.of("note", "x".repeat(1500)));

      limited.save(fits);

      assertThat(content(limited.load(fits.id()))).contains(content(fits));
    }
  }

  @Nested
  @DisplayName("listing all sessions")
  class Listing {

    @Test
    void dump_all_sessions_lists_refs_user_ids_and_expiry_of_every_session_expired_ones_too() {
      SessionRecord alice = saveUserSession("alice");
      SessionRecord anonymous = session(Map.of("anonymous", true));
      store().save(anonymous);
      SessionRecord expiring = saveExpiring("bob", Duration.ofMinutes(1));
      clock.advance(Duration.ofMinutes(5));

      List<SessionSummary> dump = store().streamAllSessions(1000).toList();

      assertThat(dump)
          .containsExactlyInAnyOrder(
              new SessionSummary(
                  ref(alice),
                  Optional.of("alice"),
                  alice.expiryDate(),
                  Optional.of(START),
                  Optional.of(START)),
              new SessionSummary(
                  ref(anonymous),
                  Optional.empty(),
                  anonymous.expiryDate(),
                  Optional.of(START),
                  Optional.of(START)),
              new SessionSummary(
                  ref(expiring),
                  Optional.of("bob"),
                  expiring.expiryDate(),
                  Optional.of(START),
                  Optional.of(START)));
    }

    @Test
    void a_users_live_sessions_are_listed_with_their_refs_and_times() {
      SessionRecord laptop = store().create(userSession("alice"));
      clock.advance(Duration.ofMinutes(1));
      SessionRecord phone = store().create(userSession("alice"));
      SessionRecord loaded = store().load(phone.id()).orElseThrow();
      clock.advance(Duration.ofMinutes(1));
      SessionRecord touched =
          new SessionRecord(
              loaded.id(),
              loaded.data(),
              loaded.expiryDate(),
              loaded.createdAt(),
              Optional.of(clock.instant()),
              loaded.maxInactiveInterval(),
              loaded.revision());
      assertThat(store().updateIfUnchanged(touched)).isTrue();
      saveExpiring("alice", Duration.ofSeconds(30));
      store().create(userSession("bob"));
      clock.advance(Duration.ofSeconds(30));

      List<SessionSummary> sessions = store().getSessionsForUser("alice");

      assertThat(sessions)
          .extracting(SessionSummary::ref)
          .containsExactlyInAnyOrder(ref(laptop), ref(phone));
      SessionSummary phoneSummary =
          sessions.stream().filter(s -> s.ref().equals(ref(phone))).findFirst().orElseThrow();
      assertThat(phoneSummary.createdAt()).contains(START.plus(Duration.ofMinutes(1)));
      assertThat(phoneSummary.lastAccessedAt()).contains(START.plus(Duration.ofMinutes(2)));
      assertThat(phoneSummary.userId()).contains("alice");
      assertThat(store().getSessionsForUser("carol")).isEmpty();
    }

    @Test
    void dump_all_sessions_of_an_empty_store_is_empty() {
      assertThat(store().streamAllSessions(1000).toList()).isEmpty();
    }

    @Test
    void paged_streams_visit_every_session_once_in_ref_order() {
      List<SessionRef> live = new ArrayList<>();
      for (int i = 0; i < 23; i++) {
        live.add(ref(saveUserSession("user" + (i % 4))));
      }
      SessionRecord expired = saveExpiring("late", Duration.ofMinutes(1));
      clock.advance(Duration.ofMinutes(5));
      live.sort(null);
      List<SessionRef> all = new ArrayList<>(live);
      all.add(ref(expired));
      all.sort(null);

      assertThat(store().streamSealedSessions(5).map(SealedSession::ref))
          .containsExactlyElementsOf(live);
      assertThat(store().streamAllSessions(4).map(SessionSummary::ref))
          .containsExactlyElementsOf(all);
      assertThat(store().streamAllSessions(24)).hasSize(24);
    }

    @Test
    void a_page_starts_after_the_given_ref() {
      List<SessionRef> refs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        refs.add(ref(saveUserSession("u")));
      }
      refs.sort(null);

      assertThat(store().dumpPage(Optional.of(refs.get(2)), 2))
          .extracting(SessionSummary::ref)
          .containsExactly(refs.get(3), refs.get(4));
      assertThat(store().loadSealedPage(Optional.of(refs.get(5)), 10)).isEmpty();
    }

    @Test
    void sealed_sessions_copied_verbatim_to_another_database_open_there_with_their_ids() {
      SessionRecord alice = store().create(userSession("alice"));
      SessionRecord timed =
          store()
              .create(
                  new SessionRecord(
                      SessionId.generate(),
                      Map.of("k", "v"),
                      clock.instant().plus(TTL),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.of(Duration.ofMinutes(7)),
                      0));
      List<SealedSession> page = store().loadSealedPage(Optional.empty(), 10);
      TestDatabase other = newDatabase();
      ManagedSessionStore target = newStore(other.url(), config());
      try {
        target.migrate();

        target.saveAllSealed(page);

        assertThat(target.load(alice.id())).isEqualTo(store().load(alice.id()));
        assertThat(target.load(timed.id())).isEqualTo(store().load(timed.id()));
        assertThat(target.countSessionsForUser("alice")).isEqualTo(1);
        assertThat(target.loadSealedPage(Optional.empty(), 10)).isEqualTo(page);

        // a copy run again overwrites (as save does, the revision grows) and loses nothing
        target.saveAllSealed(page);
        assertThat(content(target.load(alice.id()))).isEqualTo(content(store().load(alice.id())));
        assertThat(target.streamAllSessions(1000).toList()).hasSize(2);
      } finally {
        target.close();
        other.close();
      }
    }

    @Test
    void a_session_is_revoked_by_its_ref_and_revoking_a_missing_ref_does_nothing() {
      SessionRecord laptop = store().create(userSession("alice"));
      SessionRecord phone = store().create(userSession("alice"));

      assertThat(store().delete(ref(laptop))).isTrue();
      assertThat(store().delete(ref(laptop))).isFalse();

      assertThat(store().load(laptop.id())).isEmpty();
      assertThat(store().load(phone.id())).isPresent();
      assertThat(store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
          .containsExactly(ref(phone));
    }

    @Test
    void refs_are_found_by_a_prefix_of_their_text_matched_exactly() {
      SessionRecord one = store().create(userSession("alice"));
      store().create(userSession("bob"));
      String text = ref(one).value();

      assertThat(store().findRefsByPrefix(text.substring(0, 12), 5)).containsExactly(ref(one));
      assertThat(store().findRefsByPrefix(text, 5)).containsExactly(ref(one));
      assertThat(store().findRefsByPrefix(swapCase(text.substring(0, 12)), 5))
          .doesNotContain(ref(one));
      assertThat(store().findRefsByPrefix("", 5)).isEmpty();
      assertThat(store().findRefsByPrefix("%", 5)).isEmpty();
      assertThat(store().findRefsByPrefix(text + "A", 5)).isEmpty();
      assertThat(store().findRefsByPrefix(text.substring(0, 1), 5)).contains(ref(one));
    }
  }

  private static String swapCase(String text) {
    StringBuilder swapped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      swapped.append(
          Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return swapped.toString();
  }

  @Nested
  @DisplayName("lifecycle")
  class Lifecycle {

    @Test
    void a_created_session_gets_the_store_clocks_time_as_creation_and_last_access() {
      SessionRecord created = store().create(userSession("alice"));

      SessionRecord loaded = store().load(created.id()).orElseThrow();
      assertThat(loaded.createdAt()).contains(clock.instant());
      assertThat(loaded.lastAccessedAt()).contains(clock.instant());
      assertThat(loaded.maxInactiveInterval()).isEmpty();
      assertThat(loaded.revision()).isZero();
    }

    @Test
    void an_update_keeps_the_creation_time_and_stores_the_new_access_time_and_timeout() {
      SessionRecord created = store().create(userSession("alice"));
      Instant createdAt = clock.instant();
      Instant later = clock.advance(Duration.ofMinutes(5));

      SessionRecord changed =
          new SessionRecord(
              created.id(),
              Map.of("step", 2L),
              later.plus(Duration.ofMinutes(1)),
              Optional.of(later),
              Optional.of(later),
              Optional.of(Duration.ofMinutes(1)),
              created.revision());
      assertThat(store().updateIfUnchanged(changed)).isTrue();

      SessionRecord loaded = store().load(created.id()).orElseThrow();
      assertThat(loaded.createdAt()).contains(createdAt);
      assertThat(loaded.lastAccessedAt()).contains(later);
      assertThat(loaded.maxInactiveInterval()).contains(Duration.ofMinutes(1));
      assertThat(loaded.revision()).isEqualTo(1);
    }

    @Test
    void a_session_that_never_times_out_is_kept_by_the_expired_session_cleanup() {
      SessionRecord forever =
          new SessionRecord(
              SessionId.generate(),
              Map.of("k", "v"),
              SessionRecord.MAX_EXPIRY,
              Optional.empty(),
              Optional.empty(),
              Optional.of(Duration.ZERO),
              0);
      store().create(forever);
      clock.advance(Duration.ofDays(3650));

      store().deleteExpired();

      SessionRecord loaded = store().load(forever.id()).orElseThrow();
      assertThat(loaded.neverTimesOut()).isTrue();
      assertThat(loaded.expiryDate()).isEqualTo(SessionRecord.MAX_EXPIRY);
    }
  }

  @Nested
  @DisplayName("conditional writes")
  class ConditionalWrites {

    @Test
    void update_if_unchanged_writes_at_the_loaded_revision_and_refuses_a_stale_one() {
      SessionRecord created = store().create(userSession("alice"));
      SessionRecord loaded = store().load(created.id()).orElseThrow();

      assertThat(store().updateIfUnchanged(withData(loaded, "first"))).isTrue();
      // a second request that loaded the same revision has not seen the first write
      assertThat(store().updateIfUnchanged(withData(loaded, "second"))).isFalse();

      SessionRecord now = store().load(created.id()).orElseThrow();
      assertThat(now.data()).containsEntry("writer", "first");
      assertThat(now.revision()).isEqualTo(loaded.revision() + 1);
    }

    @Test
    void update_if_unchanged_never_re_creates_a_deleted_session() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));
      store().clearSessionsForUser("alice");

      assertThat(store().updateIfUnchanged(withData(loaded, "late"))).isFalse();

      assertThat(store().load(loaded.id())).isEmpty();
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void update_if_unchanged_does_not_extend_a_session_that_has_expired() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));
      clock.advance(TTL.plusSeconds(1));

      SessionRecord extended =
          new SessionRecord(
              loaded.id(),
              loaded.data(),
              clock.instant().plus(TTL),
              loaded.createdAt(),
              Optional.of(clock.instant()),
              Optional.empty(),
              loaded.revision());
      assertThat(store().updateIfUnchanged(extended)).isFalse();
      assertThat(store().load(loaded.id())).isEmpty();
    }

    @Test
    void save_counts_as_a_change_so_a_request_holding_the_old_revision_conflicts() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));
      store().save(withData(loaded, "copied"));

      assertThat(store().updateIfUnchanged(withData(loaded, "stale"))).isFalse();
      assertThat(store().load(loaded.id()).orElseThrow().data()).containsEntry("writer", "copied");
    }

    @Test
    void modify_applies_the_change_to_the_row_as_stored_and_writes_the_next_revision() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));
      store().updateIfUnchanged(withData(loaded, "other"));

      Optional<SessionRecord> modified =
          store()
              .modify(
                  loaded.id(),
                  current -> {
                    Map<String, Object> merged = new LinkedHashMap<>(current.data());
                    merged.put("mine", "yes");
                    return Optional.of(withMap(current, merged));
                  });

      SessionRecord stored = store().load(loaded.id()).orElseThrow();
      assertThat(stored.data()).containsEntry("writer", "other").containsEntry("mine", "yes");
      assertThat(stored.revision()).isEqualTo(loaded.revision() + 2);
      assertThat(modified).contains(stored);
    }

    @Test
    void modify_of_a_missing_session_does_not_call_the_change_and_writes_nothing() {
      AtomicInteger calls = new AtomicInteger();

      Optional<SessionRecord> modified =
          store()
              .modify(
                  SessionId.generate(),
                  current -> {
                    calls.incrementAndGet();
                    return Optional.of(current);
                  });

      assertThat(modified).isEmpty();
      assertThat(calls).hasValue(0);
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void modify_that_returns_nothing_writes_nothing() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));

      assertThat(store().modify(loaded.id(), current -> Optional.empty())).contains(loaded);

      assertThat(store().load(loaded.id()).orElseThrow().revision()).isEqualTo(loaded.revision());
    }

    @Test
    void eight_writers_on_two_nodes_merging_their_own_keys_under_the_lock_lose_none()
        throws Exception {
      SessionRecord shared = store().create(session(Map.of("base", 1L)));
      ManagedSessionStore otherNode = openMigrated(config());
      try {
        List<Callable<Boolean>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
          String key = "writer" + w;
          ManagedSessionStore node = w % 2 == 0 ? store() : otherNode;
          writers.add(
              () ->
                  node.modify(
                          shared.id(),
                          current -> {
                            Map<String, Object> merged = new LinkedHashMap<>(current.data());
                            merged.put(key, "done");
                            return Optional.of(withMap(current, merged));
                          })
                      .isPresent());
        }

        assertThat(Concurrently.runAtOnce(writers)).containsOnly(true);
      } finally {
        otherNode.close();
      }

      SessionRecord stored = store().load(shared.id()).orElseThrow();
      assertThat(stored.data()).hasSize(9);
      assertThat(stored.revision()).isEqualTo(8);
    }

    private SessionRecord withData(SessionRecord loaded, String writer) {
      Map<String, Object> data = new LinkedHashMap<>(loaded.data());
      data.put("writer", writer);
      return withMap(loaded, data);
    }

    private SessionRecord withMap(SessionRecord loaded, Map<String, Object> data) {
      return new SessionRecord(
          loaded.id(),
          data,
          loaded.expiryDate(),
          loaded.createdAt(),
          Optional.of(clock.instant()),
          loaded.maxInactiveInterval(),
          loaded.revision());
    }
  }

  @Nested
  @DisplayName("rotation")
  class Rotation {

    @Test
    void rotate_moves_the_session_to_the_new_id_keeping_its_data_and_creation_time() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));
      Instant createdAt = clock.instant();
      clock.advance(Duration.ofMinutes(1));
      SessionId newId = SessionId.generate();

      Optional<SessionRecord> rotated = store().rotate(loaded.id(), loaded.withId(newId));

      assertThat(rotated).isPresent();
      assertThat(rotated.get().id()).isEqualTo(newId);
      assertThat(store().load(loaded.id())).isEmpty();
      SessionRecord moved = store().load(newId).orElseThrow();
      assertThat(moved.data()).isEqualTo(loaded.data());
      assertThat(moved.createdAt()).contains(createdAt);
      assertThat(moved.revision()).isZero();
      assertThat(database.userIdColumn(ref(newId))).isEqualTo("alice");
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void rotate_of_a_deleted_session_writes_nothing_and_says_so() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));
      store().clearSessionsForUser("alice");
      SessionId newId = SessionId.generate();

      assertThat(store().rotate(loaded.id(), loaded.withId(newId))).isEmpty();

      assertThat(store().load(newId)).isEmpty();
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void rotate_of_an_expired_session_writes_nothing() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));
      clock.advance(TTL.plusSeconds(1));
      SessionId newId = SessionId.generate();

      assertThat(store().rotate(loaded.id(), loaded.withId(newId))).isEmpty();
      assertThat(store().load(newId)).isEmpty();
    }

    @Test
    void rotate_at_a_stale_revision_writes_nothing_and_leaves_the_changed_session() {
      SessionRecord loaded = createdAndLoaded(userSession("alice"));
      assertThat(store().updateIfUnchanged(loaded)).isTrue();
      SessionId newId = SessionId.generate();

      assertThat(store().rotate(loaded.id(), loaded.withId(newId))).isEmpty();

      assertThat(store().load(loaded.id())).isPresent();
      assertThat(store().load(newId)).isEmpty();
    }

    @Test
    void rotate_onto_a_taken_id_draws_a_fresh_one_and_leaves_the_other_session_alone() {
      SessionRecord other = store().create(userSession("bob"));
      SessionRecord loaded = createdAndLoaded(userSession("alice"));

      SessionRecord rotated = store().rotate(loaded.id(), loaded.withId(other.id())).orElseThrow();

      assertThat(rotated.id()).isNotEqualTo(other.id()).isNotEqualTo(loaded.id());
      assertThat(store().load(other.id()).orElseThrow().userId()).contains("bob");
      assertThat(store().load(rotated.id()).orElseThrow().userId()).contains("alice");
    }

    @Test
    void rotation_racing_logout_everywhere_on_two_nodes_never_brings_the_session_back()
        throws Exception {
      ManagedSessionStore otherNode = openMigrated(config());
      try {
        for (int round = 0; round < 20; round++) {
          SessionRecord loaded = createdAndLoaded(userSession("alice"));
          SessionId newId = SessionId.generate();

          Concurrently.runAtOnce(
              List.<Callable<Object>>of(
                  () -> store().rotate(loaded.id(), loaded.withId(newId)),
                  () -> otherNode.clearSessionsForUser("alice")));

          // whichever ran first, alice is logged out: the rotation found the row gone and wrote
          // nothing, or it moved the row and the clear deleted it under its new id
          assertThat(database.sessionRowCount()).as("round %d", round).isZero();
        }
      } finally {
        otherNode.close();
      }
    }

    @Test
    void two_rotations_of_one_session_racing_on_two_nodes_move_it_once() throws Exception {
      ManagedSessionStore otherNode = openMigrated(config());
      try {
        for (int round = 0; round < 10; round++) {
          SessionRecord loaded = createdAndLoaded(userSession("alice"));

          List<Optional<SessionRecord>> results =
              Concurrently.runAtOnce(
                  List.<Callable<Optional<SessionRecord>>>of(
                      () -> store().rotate(loaded.id(), loaded.withId(SessionId.generate())),
                      () -> otherNode.rotate(loaded.id(), loaded.withId(SessionId.generate()))));

          assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
          assertThat(store().countSessionsForUser("alice")).isEqualTo(1);
          store().clearSessionsForUser("alice");
        }
      } finally {
        otherNode.close();
      }
    }

    @Test
    void delete_racing_a_rotation_leaves_no_session() throws Exception {
      for (int round = 0; round < 20; round++) {
        SessionRecord loaded = createdAndLoaded(session(Map.of("k", 1L)));
        SessionId newId = SessionId.generate();
        List<Optional<SessionRecord>> rotated = new ArrayList<>();

        Concurrently.runAtOnce(
            List.<Callable<Object>>of(
                () -> rotated.add(store().rotate(loaded.id(), loaded.withId(newId))),
                () -> {
                  store().delete(loaded.id());
                  return null;
                }));

        // the delete names the old id: it wins when first; a rotation that ran first survives
        // under the new id, which no one deleted
        long rows = database.sessionRowCount();
        assertThat(rows).as("round %d", round).isLessThanOrEqualTo(1);
        assertThat(store().load(loaded.id())).isEmpty();
        store().clearAllSessions();
      }
    }
  }

  @Nested
  @DisplayName("concurrency")
  class Concurrency {

    @Test
    void eight_threads_saving_and_loading_at_once_all_succeed_and_keep_their_last_write()
        throws Exception {
      int threads = 8;
      int sessionsPerThread = 4;
      int rounds = 25;
      ManagedSessionStore shared = store();
      List<List<SessionId>> ids = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ids.add(IntStream.range(0, sessionsPerThread).mapToObj(i -> SessionId.generate()).toList());
      }
      Instant expiry = clock.instant().plus(TTL);
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        tasks.add(
            () -> {
              int checked = 0;
              for (int round = 0; round < rounds; round++) {
                for (SessionId id : ids.get(thread)) {
                  SessionRecord record = new SessionRecord(id, dataFor(thread, round), expiry);
                  shared.save(record);
                  Optional<SessionRecord> loaded = shared.load(id);
                  if (!content(loaded).equals(Optional.of(record))) {
                    throw new AssertionError(
                        "thread " + thread + " round " + round + " read back " + loaded);
                  }
                  checked++;
                }
              }
              return checked;
            });
      }

      List<Integer> checked = Concurrently.runAtOnce(tasks);

      assertThat(checked).containsOnly(rounds * sessionsPerThread).hasSize(threads);
      for (int t = 0; t < threads; t++) {
        for (SessionId id : ids.get(t)) {
          assertThat(shared.load(id)).map(SessionRecord::data).contains(dataFor(t, rounds - 1));
        }
        assertThat(shared.countSessionsForUser("user-" + t)).isEqualTo(sessionsPerThread);
      }
      assertThat(database.sessionRowCount()).isEqualTo((long) threads * sessionsPerThread);
    }

    private Map<String, Object> dataFor(int thread, int round) {
      return Map.of(
          SessionRecord.USER_ID_KEY,
          "user-" + thread,
          "round",
          (long) round,
          "pad",
          "p".repeat(round));
    }
  }

  @Nested
  @DisplayName("errors")
  class Errors {

    @Test
    void a_closed_store_fails_with_database_errors_that_never_show_a_session_id() {
      ManagedSessionStore closing = openMigrated(config());
      SessionRecord record = userSession("alice");
      closing.save(record);
      SessionId id = record.id();
      closing.close();

      List<ThrowingCallable> calls =
          List.of(
              () -> closing.load(id),
              () -> closing.save(record),
              () -> closing.create(record),
              () -> closing.delete(id),
              () -> closing.clearSessionsForUser("alice"),
              () -> closing.clearAllSessions(),
              () -> closing.countSessionsForUser("alice"),
              () -> closing.getSessionsForUser("alice"),
              () -> closing.dumpPage(Optional.empty(), 10),
              () -> closing.deleteExpired());
      for (ThrowingCallable call : calls) {
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                SessionServiceException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE);
                  assertThat(e.getMessage()).isNotBlank().doesNotContain(id.value());
                  assertThat(e.toString()).doesNotContain(id.value());
                });
      }
    }
  }

  /** An exception as a log line would show it: its whole trace, causes and suppressed ones too. */
  private static String printed(Throwable e) {
    java.io.StringWriter text = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(text));
    return text.toString();
  }
}

package app.getbodhi.session.reliability;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MapSettingService;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.jooq.internal.Sealing;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.Concurrently;
import app.getbodhi.session.tck.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults short of an outage: an exhausted connection pool, a SQLite file held by another
 * connection's long write, and four nodes starting on an empty PostgreSQL database at once. (The
 * outage itself is {@link PostgresOutageTest}.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FaultsTest {

  private static final Duration POOL_TIMEOUT = Duration.ofMillis(500);

  /** Scheduling slack on a busy two-core machine. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  private static SessionRecord session(String user, long i) {
    return new SessionRecord(
        SessionId.generate(),
        Map.of(SessionRecord.USER_ID_KEY, user, "i", i),
        Instant.now().plusSeconds(3600));
  }

  /** Times a call that must fail; returns the exception and checks it failed in time. */
  private static SessionServiceException failsWithin(Duration at, Duration atMost, Runnable call) {
    long start = System.nanoTime();
    Throwable thrown = null;
    try {
      call.run();
    } catch (Throwable e) {
      thrown = e;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(thrown).as("the call failed").isInstanceOf(SessionServiceException.class);
    assertThat(elapsed)
        .as("it waited about the timeout (%s), then gave up", at)
        .isGreaterThanOrEqualTo(at.multipliedBy(8).dividedBy(10))
        .isLessThanOrEqualTo(atMost);
    return (SessionServiceException) thrown;
  }

  @Nested
  class PoolExhausted {

    /** A caller's pool of two connections, set up as the store would set up its own. */
    private HikariDataSource callersPool(TestDatabase db) {
      SessionStoreConfig config =
          SessionStoreConfig.defaults().withMaximumPoolSize(2).withConnectionTimeout(POOL_TIMEOUT);
      return db instanceof PostgresSchema
          ? PgSessionStore.dataSource(db.url(), config)
          : SqliteSessionStore.dataSource(db.url(), config);
    }

    private ManagedSessionStore storeOn(TestDatabase db, HikariDataSource pool) {
      SessionStoreConfig config = SessionStoreConfig.defaults();
      // migrating on a caller's data source takes three connections; do it beforehand
      try (SessionStoreBackend migrated = SessionStoreBackend.connect(db.url(), config)) {
        migrated.backendName();
      }
      return db instanceof PostgresSchema
          ? new PgSessionStore(pool, config)
          : new SqliteSessionStore(pool, config);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void a_callers_exhausted_pool_fails_a_call_clearly_after_its_timeout_then_works_again(
        Backend backend) throws Exception {
      try (TestDatabase db = backend.freshDatabase();
          HikariDataSource pool = callersPool(db)) {
        ManagedSessionStore store = storeOn(db, pool);
        SessionRecord saved = session("alice", 1);
        store.save(saved);

        // the caller holds both of the pool's connections
        List<Connection> held = List.of(pool.getConnection(), pool.getConnection());
        SessionServiceException failure;
        try {
          failure =
              failsWithin(POOL_TIMEOUT, POOL_TIMEOUT.plus(SLACK), () -> store.load(saved.id()));
        } finally {
          for (Connection connection : held) {
            connection.close();
          }
        }

        assertThat(failure.kind()).isEqualTo(Kind.DATABASE);
        assertThat(failure.getMessage())
            .startsWith("Could not load a session in the " + store.backendName() + " session store")
            .containsPattern("Connection is not available, request timed out after 5\\d\\dms");
        assertThat(content(store.load(saved.id())))
            .as("works again once a connection is free")
            .contains(content(saved));
      }
    }

    @Test
    void the_stores_exhausted_pool_fails_a_call_after_the_timeout_and_blocked_calls_finish()
        throws Exception {
      SessionStoreConfig config =
          SessionStoreConfig.defaults().withMaximumPoolSize(2).withConnectionTimeout(POOL_TIMEOUT);
      try (PostgresSchema schema =
              PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
          SessionStoreBackend store = SessionStoreBackend.connect(schema.url(), config);
          Connection locker = schema.dataSource().getConnection()) {
        SessionRecord saved = session("alice", 1);
        store.save(saved);
        locker.setAutoCommit(false);
        try (Statement lock = locker.createStatement()) {
          lock.execute("LOCK TABLE bodhi_sessions IN ACCESS EXCLUSIVE MODE");
        }
        // two saves wait on the lock, each holding one of the pool's two connections
        List<CompletableFuture<SessionRecord>> blocked = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          long n = i;
          blocked.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    SessionRecord record = session("blocked", n);
                    store.save(record);
                    return record;
                  }));
        }
        assertThat(
                Calls.waitUntil(
                    Duration.ofSeconds(20),
                    () ->
                        schema.queryLong(
                                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type ="
                                    + " 'Lock' AND application_name = ?",
                                PgSessionStore.DEFAULT_APPLICATION_NAME)
                            == 2))
            .as("both saves wait on the lock")
            .isPresent();

        SessionServiceException failure =
            failsWithin(POOL_TIMEOUT, POOL_TIMEOUT.plus(SLACK), () -> store.load(saved.id()));
        locker.rollback();

        assertThat(failure.kind()).isEqualTo(Kind.DATABASE);
        assertThat(failure.getMessage()).containsPattern("request timed out after 5\\d\\dms");
        for (CompletableFuture<SessionRecord> save : blocked) {
          SessionRecord record = save.get(20, TimeUnit.SECONDS);
          assertThat(content(store.load(record.id())))
              .as("a save that waited on the lock")
              .contains(content(record));
        }
        assertThat(content(store.load(saved.id()))).contains(content(saved));
      }
    }
  }

  @Nested
  class SqliteFileHeldByALongWrite {

    @Test
    void a_save_waits_the_busy_timeout_fails_and_then_succeeds_with_nothing_lost()
        throws Exception {
      Duration busyTimeout = Duration.ofMillis(500);
      SessionStoreConfig config = SessionStoreConfig.defaults().withBusyTimeout(busyTimeout);
      try (SqliteFixture db = SqliteFixture.tempFile();
          SessionStoreBackend store = SessionStoreBackend.connect(db.url(), config)) {
        List<SessionRecord> before = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          SessionRecord record = session("user-" + (i % 5), i);
          store.save(record);
          before.add(record);
        }
        SessionRecord blockedSave = session("late", 1);
        SessionRecord uncommitted = session("other-writer", 1);

        SessionServiceException failure;
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db.file());
            Statement statement = other.createStatement()) {
          statement.execute("BEGIN IMMEDIATE");
          insertAsTheStoreWould(other, uncommitted);

          // WAL: readers are not held up by the writer
          assertThat(content(store.load(before.get(0).id()))).contains(content(before.get(0)));
          failure =
              failsWithin(busyTimeout, busyTimeout.plus(SLACK), () -> store.save(blockedSave));
          failsWithin(
              busyTimeout, busyTimeout.plus(SLACK), () -> store.clearSessionsForUser("user-1"));

          statement.execute("ROLLBACK");
        }

        assertThat(failure.kind()).isEqualTo(Kind.DATABASE);
        assertThat(failure.getMessage())
            .startsWith("Could not save a session in the sqlite session store")
            .contains("SQLITE_BUSY");
        assertThat(failure.getMessage()).doesNotContain(blockedSave.id().value());
        assertThat(store.load(blockedSave.id())).as("nothing of the failed save").isEmpty();

        store.save(blockedSave);
        assertThat(content(store.load(blockedSave.id()))).contains(content(blockedSave));
        assertThat(store.load(uncommitted.id())).as("the rolled-back insert").isEmpty();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db.file())) {
          insertAsTheStoreWould(other, uncommitted);
        }
        assertThat(content(store.load(uncommitted.id())))
            .as("the same insert, committed, is a session: only the rollback kept it out")
            .contains(content(uncommitted));
        for (SessionRecord record : before) {
          assertThat(content(store.load(record.id()))).contains(content(record));
        }
        assertThat(store.countSessionsForUser("user-1")).isEqualTo(10);
        assertThat(db.queryStrings("PRAGMA integrity_check")).containsExactly("ok");
      }
    }

    /**
     * Inserts a session over a plain connection as the store itself writes it: under its ref, its
     * JSON sealed with the keys of a store without a secret, so that the store can load it.
     */
    private void insertAsTheStoreWould(Connection connection, SessionRecord record)
        throws Exception {
      Sealing sealing = new Sealing(SessionSecret.none(), Optional.empty());
      Sealing.Keys keys = sealing.keys(record.id());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO bodhi_sessions (id, data, expiry_date, user_id) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, keys.current());
        insert.setBytes(2, sealing.seal(keys, new ObjectMapper().writeValueAsBytes(record.data())));
        SqliteSessionStore.EXPIRY_COLUMN.bind(insert, 3, record.expiryDate());
        insert.setString(4, record.userId().orElseThrow());
        insert.executeUpdate();
      }
    }
  }

  @Nested
  class FourNodesStartAtOnce {

    @RepeatedTest(2)
    void four_services_connecting_at_once_to_an_empty_schema_all_start_and_migrate_it_once()
        throws Exception {
      try (PostgresSchema schema =
          PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
        SettingService settings =
            new MapSettingService(
                Map.of(
                    SettingService.BODHI_SESSION_DB_URL, schema.url(),
                    SettingService.BODHI_DEPLOYMENT, "cluster",
                    SettingService.BODHI_SESSION_SECRET,
                        "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=",
                    SettingService.BODHI_SESSION_CLEANUP_INTERVAL, "off"));
        SessionStoreConfig config = SessionStoreConfig.defaults().withMaximumPoolSize(2);
        List<Callable<DefaultSessionService>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          starts.add(() -> DefaultSessionService.connect(settings, config));
        }

        List<DefaultSessionService> nodes = Concurrently.runAtOnce(starts);
        try {
          assertThat(
                  schema.queryStrings(
                      "SELECT version FROM bodhi_sessions_schema_history WHERE version IS NOT"
                          + " NULL ORDER BY installed_rank"))
              .as("each version applied once")
              .contains("1", "2")
              .doesNotHaveDuplicates();
          assertThat(
                  schema.queryLong(
                      "SELECT count(*) FROM bodhi_sessions_schema_history WHERE NOT success"))
              .isZero();
          for (DefaultSessionService writer : nodes) {
            SessionRecord record = session("cluster-user", nodes.indexOf(writer));
            writer.getSessionStore().save(record);
            for (DefaultSessionService reader : nodes) {
              assertThat(content(reader.getSessionStore().load(record.id())))
                  .contains(content(record));
            }
          }
          assertThat(nodes.get(3).countSessionsForUser("cluster-user")).isEqualTo(4);
        } finally {
          nodes.forEach(DefaultSessionService::close);
        }
      }
    }
  }
}

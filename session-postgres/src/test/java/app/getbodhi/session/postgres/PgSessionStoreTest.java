package app.getbodhi.session.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Smoke checks against a real PostgreSQL: what this module adds on top of the shared store
 * (connecting from a URL, the pool, migrations and their lock). The full contract suite runs in
 * session-tests. Each test works in a schema of its own, chosen with {@code currentSchema}.
 */
class PgSessionStoreTest {

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** Creates an empty schema and returns a URL whose connections work in it. */
  private static String urlFor(String schema) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      statement.execute("CREATE SCHEMA " + schema);
    }
    return "postgres://postgres@localhost:"
        + postgres.getPort()
        + "/postgres?currentSchema="
        + schema;
  }

  /** A record with its times set, so that it loads back equal after its first write. */
  private static SessionRecord record(String user) {
    Instant now = Instant.now();
    return new SessionRecord(
        SessionId.generate(),
        Map.of("user_id", user, "visits", 3L, "tags", List.of("a", "b")),
        now.plus(1, ChronoUnit.HOURS),
        Optional.of(now),
        Optional.of(now),
        Optional.empty(),
        0);
  }

  private static long count(String sql, String schema) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, schema);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  @Nested
  class ConnectedFromAUrl {

    @Test
    void migratesTwiceThenSavesAndLoadsASession() throws SQLException {
      String url = urlFor("smoke");
      try (PgSessionStore store = PgSessionStore.connect(url)) {
        store.migrate();
        store.migrate();

        SessionRecord saved = record("alice");
        store.save(saved);

        assertThat(store.load(saved.id())).contains(saved);
        assertThat(store.countSessionsForUser("alice")).isEqualTo(1);
        assertThat(store.backendName()).isEqualTo("postgres");
      }
      assertThat(
              count(
                  "SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND tablename ="
                      + " 'bodhi_sessions' AND indexname IN ('idx_bodhi_sessions_user_id',"
                      + " 'idx_bodhi_sessions_expiry_date')",
                  "smoke"))
          .isEqualTo(2);
      assertThat(
              count(
                  "SELECT count(*) FROM smoke.bodhi_sessions_schema_history"
                      + " WHERE success AND version IN ('1', '2') AND ? IS NOT NULL",
                  "smoke"))
          .isEqualTo(2);
    }

    @Test
    void migratesWithAPoolOfOneConnection() throws SQLException {
      String url = urlFor("pool_of_one");
      try (PgSessionStore store =
          PgSessionStore.connect(url, SessionStoreConfig.defaults().withMaximumPoolSize(1))) {
        store.migrate();

        SessionRecord saved = record("bob");
        store.save(saved);
        assertThat(store.load(saved.id())).contains(saved);
      }
    }

    @Test
    void letsSeveralNodesMigrateTheSameSchemaAtOnce() throws Exception {
      String url = urlFor("many_nodes");
      int nodes = 4;
      List<PgSessionStore> stores = new ArrayList<>();
      ExecutorService threads = Executors.newFixedThreadPool(nodes);
      try {
        for (int i = 0; i < nodes; i++) {
          stores.add(PgSessionStore.connect(url));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> migrations = new ArrayList<>();
        for (PgSessionStore store : stores) {
          migrations.add(
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    store.migrate();
                  },
                  threads));
        }
        start.countDown();

        CompletableFuture.allOf(migrations.toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);
      } finally {
        threads.shutdownNow();
        stores.forEach(PgSessionStore::close);
      }
      assertThat(
              count(
                  "SELECT count(*) FROM many_nodes.bodhi_sessions_schema_history"
                      + " WHERE success AND version IN ('1', '2') AND ? IS NOT NULL",
                  "many_nodes"))
          .isEqualTo(2);
    }

    @Test
    void keepsTheRowsOfALegacyTableAndAddsTheUserColumn() throws SQLException {
      String url = urlFor("legacy");
      SessionId legacyId = SessionId.generate();
      try (Connection connection = postgres.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE legacy.bodhi_sessions (id TEXT PRIMARY KEY NOT NULL,"
                + " data BYTEA NOT NULL, expiry_date TIMESTAMPTZ NOT NULL)");
        statement.execute(
            "INSERT INTO legacy.bodhi_sessions VALUES ('"
                + legacyId.value()
                + "', convert_to('{\"n\":1}', 'UTF8'), now() + interval '1 hour')");
      }

      try (PgSessionStore store = PgSessionStore.connect(url)) {
        store.migrate();

        assertThat(store.load(legacyId)).map(SessionRecord::data).contains(Map.of("n", 1L));
        assertThat(store.dumpAllSessions()).hasSize(1);
      }
      assertThat(
              count(
                  "SELECT count(*) FROM information_schema.columns WHERE table_schema = ?"
                      + " AND table_name = 'bodhi_sessions' AND column_name = 'user_id'",
                  "legacy"))
          .isEqualTo(1);
    }

    @Test
    void skipsCleanupWhileAnotherNodeCleansAndCleansOnceItIsDone() throws SQLException {
      String url = urlFor("cleanup");
      try (PgSessionStore store = PgSessionStore.connect(url)) {
        store.migrate();
        store.save(
            new SessionRecord(
                SessionId.generate(), Map.of(), Instant.now().minus(1, ChronoUnit.HOURS)));

        try (Connection otherNode = postgres.getPostgresDatabase().getConnection();
            Statement statement = otherNode.createStatement()) {
          statement.execute("SELECT pg_advisory_lock(" + PgSessionStore.CLEANUP_LOCK_KEY + ")");

          assertThat(store.deleteExpired()).isZero();
          assertThat(store.dumpAllSessions()).hasSize(1);

          statement.execute("SELECT pg_advisory_unlock(" + PgSessionStore.CLEANUP_LOCK_KEY + ")");
        }
        assertThat(store.deleteExpired()).isEqualTo(1);
        assertThat(store.dumpAllSessions()).isEmpty();
        // the lock was given back: a second round can take it again
        assertThat(store.deleteExpired()).isZero();
        assertThat(
                count(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND ? IS NOT NULL",
                    "x"))
            .isZero();
      }
    }

    @Test
    void closesThePoolItOwns() throws SQLException {
      PgSessionStore store = PgSessionStore.connect(urlFor("closing"));
      store.migrate();

      store.close();

      assertThatThrownBy(() -> store.load(SessionId.generate()))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE));
    }

    @Test
    void showsNoPasswordInToString() throws SQLException {
      String url = "postgres://postgres:s3cr3t%21pw@localhost:" + postgres.getPort() + "/postgres";
      try (PgSessionStore store = PgSessionStore.connect(url)) {
        assertThat(store.toString()).contains("bodhi-sessions-postgres").doesNotContain("s3cr3t");
      }
    }
  }

  @Nested
  class OnACallersDataSource {

    @Test
    void leavesTheDataSourceOpenWhenClosed() throws SQLException {
      urlFor("callers");
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      dataSource.setUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
      dataSource.setUser("postgres");
      dataSource.setCurrentSchema("callers");
      DataSource wrapped = dataSource;

      try (PgSessionStore store = new PgSessionStore(wrapped)) {
        store.migrate();
        SessionRecord saved = record("carol");
        store.save(saved);
        assertThat(store.load(saved.id())).contains(saved);
      }
      try (Connection connection = wrapped.getConnection()) {
        assertThat(connection.isValid(1)).isTrue();
      }
    }
  }

  @Nested
  class WhenTheServerIsDown {

    @Test
    void connectFailsFastWithADatabaseErrorThatHidesThePassword() throws IOException {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        closedPort = socket.getLocalPort();
      }
      String url = "postgres://bodhi:s3cr3t%21pw@localhost:" + closedPort + "/bodhi";
      SessionStoreConfig config =
          SessionStoreConfig.defaults().withConnectionTimeout(Duration.ofSeconds(1));

      long started = System.nanoTime();
      assertThatThrownBy(() -> PgSessionStore.connect(url, config))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE);
                assertThat(e.getMessage())
                    .contains("postgres://bodhi:***@localhost:" + closedPort)
                    .contains("SessionStoreConfig.connectionTimeout")
                    .doesNotContain("s3cr3t");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }
}

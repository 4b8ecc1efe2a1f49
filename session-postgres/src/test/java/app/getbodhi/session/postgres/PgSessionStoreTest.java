package app.getbodhi.session.postgres;

import static app.getbodhi.session.tck.StoreChecks.assertMigratesAndKeepsWhatItSaves;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Smoke checks against a real PostgreSQL: what this module adds on top of the shared store
 * (connecting from a URL, the pool, migrations and their lock); the contract suite is {@link
 * PgSessionStoreContractTest}. Each test works in a fresh schema of the kit's test server, chosen
 * with {@code currentSchema}.
 */
class PgSessionStoreTest extends OnAFreshSchema {

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

  /** Counts the successful migrations 1 and 2 in the schema's history. */
  private long migrationsOneAndTwo() {
    return schema.queryLong(
        "SELECT count(*) FROM bodhi_sessions_schema_history"
            + " WHERE success AND version IN ('1', '2')");
  }

  @Nested
  class ConnectedFromAUrl {

    @Test
    void migratesTwiceThenSavesAndLoadsASession() {
      try (PgSessionStore store = PgSessionStore.connect(schema.url())) {
        store.migrate();
        store.migrate();

        SessionRecord saved = record("alice");
        store.save(saved);

        assertThat(store.load(saved.id())).contains(saved);
        assertThat(store.countSessionsForUser("alice")).isEqualTo(1);
        assertThat(store.backendName()).isEqualTo("postgres");
      }
      assertThat(schema.indexNames("bodhi_sessions"))
          .contains("idx_bodhi_sessions_user_id", "idx_bodhi_sessions_expiry_date");
      assertThat(migrationsOneAndTwo()).isEqualTo(2);
    }

    @Test
    void migratesWithAPoolOfOneConnection() {
      try (PgSessionStore store =
          PgSessionStore.connect(
              schema.url(), SessionStoreConfig.defaults().withMaximumPoolSize(1))) {
        assertMigratesAndKeepsWhatItSaves(store, record("bob"));
      }
    }

    @Test
    void letsSeveralNodesMigrateTheSameSchemaAtOnce() throws Exception {
      String url = schema.url();
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
      assertThat(migrationsOneAndTwo()).isEqualTo(2);
    }

    @Test
    void keepsTheRowsOfALegacyTableAndAddsTheUserColumn() {
      SessionId legacyId = SessionId.generate();
      schema.createLegacySessionTable(legacyId, "{\"n\":1}", Instant.now().plusSeconds(3600));

      try (PgSessionStore store = PgSessionStore.connect(schema.url())) {
        store.migrate();

        assertThat(store.load(legacyId)).map(SessionRecord::data).contains(Map.of("n", 1L));
        assertThat(store.streamAllSessions(1000).toList()).hasSize(1);
      }
      assertThat(schema.columnNames("bodhi_sessions")).contains("user_id");
    }

    @Test
    void skipsCleanupWhileAnotherNodeCleansAndCleansOnceItIsDone() throws SQLException {
      try (PgSessionStore store = PgSessionStore.connect(schema.url())) {
        store.migrate();
        store.save(
            new SessionRecord(
                SessionId.generate(), Map.of(), Instant.now().minus(1, ChronoUnit.HOURS)));

        try (Connection otherNode = schema.dataSource().getConnection();
            Statement statement = otherNode.createStatement()) {
          statement.execute("SELECT pg_advisory_lock(" + PgSessionStore.CLEANUP_LOCK_KEY + ")");

          assertThat(store.deleteExpired()).isZero();
          assertThat(store.streamAllSessions(1000).toList()).hasSize(1);

          statement.execute("SELECT pg_advisory_unlock(" + PgSessionStore.CLEANUP_LOCK_KEY + ")");
        }
        assertThat(store.deleteExpired()).isEqualTo(1);
        assertThat(store.streamAllSessions(1000).toList()).isEmpty();
        // the lock was given back: a second round can take it again
        assertThat(store.deleteExpired()).isZero();
        // the cleanup lock's key, as pg_locks splits a bigint key into classid and objid; the
        // server may be shared, so other advisory locks are not this test's business
        assertThat(
                schema.queryLong(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND (classid::bigint << 32 | objid::bigint) = ?",
                    PgSessionStore.CLEANUP_LOCK_KEY))
            .isZero();
      }
    }

    @Test
    void closesThePoolItOwns() {
      PgSessionStore store = PgSessionStore.connect(schema.url());
      store.migrate();

      store.close();

      assertThatThrownBy(() -> store.load(SessionId.generate()))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE));
    }

    @Test
    void showsNoPasswordInToString() {
      String url = schema.urlForNewRole("to_string_" + schema.name(), "s3cr3t!pw");
      try (PgSessionStore store = PgSessionStore.connect(url)) {
        assertThat(store.toString()).contains("bodhi-sessions-postgres").doesNotContain("s3cr3t");
      }
    }
  }

  @Nested
  class OnACallersDataSource {

    @Test
    void leavesTheDataSourceOpenWhenClosed() throws SQLException {
      DataSource wrapped = schema.dataSource();

      try (PgSessionStore store = new PgSessionStore(wrapped)) {
        assertMigratesAndKeepsWhatItSaves(store, record("carol"));
      }
      try (Connection connection = wrapped.getConnection()) {
        assertThat(connection.isValid(1)).isTrue();
      }
    }
  }
}

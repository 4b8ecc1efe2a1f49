package app.getbodhi.session.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.StoreHealth;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link ManagedSessionStore#health()} on both backends: up with the schema version on a migrated
 * store; down, with one safe line saying why, on a store that was never migrated, that was closed,
 * or whose server stopped.
 */
class StoreHealthTest {

  /** The highest migration each backend ships, as the health check must report it. */
  private static void assertUpOnTheLatestSchema(StoreHealth health, String backend) {
    assertThat(health.up()).as(health.toString()).isTrue();
    assertThat(health.backend()).isEqualTo(backend);
    assertThat(health.problem()).isEmpty();
    assertThat(health.schemaVersion())
        .hasValueSatisfying(version -> assertThat(version).matches("[1-9][0-9]*(\\.[0-9]+)*"));
  }

  private static void assertDown(StoreHealth health, String backend, String... fragments) {
    assertThat(health.up()).as(health.toString()).isFalse();
    assertThat(health.backend()).isEqualTo(backend);
    assertThat(health.schemaVersion()).isEmpty();
    assertThat(health.problem())
        .hasValueSatisfying(
            problem -> assertThat(problem).contains(fragments).doesNotContain("\n", "\r"));
  }

  @Nested
  class OnSqlite {

    @Test
    void aMigratedStoreIsUpOnTheLatestSchemaVersion() {
      try (SqliteFixture db = SqliteFixture.tempFile();
          SqliteSessionStore store = SqliteSessionStore.open(db.url())) {
        store.migrate();

        assertUpOnTheLatestSchema(store.health(), "sqlite");
        assertThat(store.health().schemaVersion())
            .isEqualTo(
                db
                    .queryStrings(
                        "SELECT version FROM bodhi_sessions_schema_history WHERE success"
                            + " ORDER BY installed_rank DESC LIMIT 1")
                    .stream()
                    .findFirst());
      }
    }

    @Test
    void aStoreNeverMigratedIsDownAndSaysToMigrate() {
      try (SqliteFixture db = SqliteFixture.tempFile();
          SqliteSessionStore store = SqliteSessionStore.open(db.url())) {
        assertDown(store.health(), "sqlite", "schema", "migrate");
      }
    }

    @Test
    void aClosedStoreIsDownInsteadOfThrowing() {
      try (SqliteFixture db = SqliteFixture.tempFile()) {
        SqliteSessionStore store = SqliteSessionStore.open(db.url());
        store.migrate();
        store.close();

        assertDown(store.health(), "sqlite", "Could not reach the sqlite session store", "closed");
      }
    }
  }

  @Nested
  class OnPostgres {

    @Test
    void aMigratedStoreIsUpOnTheLatestSchemaVersion() {
      try (PostgresSchema schema =
              PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
          PgSessionStore store = PgSessionStore.connect(schema.url())) {
        store.migrate();

        assertUpOnTheLatestSchema(store.health(), "postgres");
      }
    }

    @Test
    void aStoreNeverMigratedIsDownAndSaysToMigrate() {
      try (PostgresSchema schema =
              PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
          PgSessionStore store = PgSessionStore.connect(schema.url())) {
        assertDown(store.health(), "postgres", "schema", "migrate");
      }
    }

    @Test
    void aStoreWhoseServerStoppedIsDownWithinTheConnectionTimeoutAndNamesNoPassword()
        throws Exception {
      String password = "health-check-secret-pw";
      // a server of its own, whatever BODHI_TEST_PG_URL says: this test stops it
      try (PostgresFixture server =
          PostgresFixture.startEmbedded(Map.of(), PgSessionStore::dataSource)) {
        // the embedded server trusts local users; the password is there to be kept out of messages
        String url = server.urlAs("postgres", password);
        SessionStoreConfig config =
            SessionStoreConfig.defaults().withConnectionTimeout(Duration.ofSeconds(1));
        try (PgSessionStore store = PgSessionStore.connect(url, config)) {
          store.migrate();
          assertUpOnTheLatestSchema(store.health(), "postgres");

          server.close();
          StoreHealth health = timed(store::health, Duration.ofSeconds(15));

          assertDown(health, "postgres", "Could not reach the postgres session store");
          assertThat(health.problem().orElseThrow()).doesNotContain(password);
          assertThat(health.toString()).doesNotContain(password);
        }
      }
    }
  }

  /** Runs a check and fails if it took longer than it may. */
  private static <T> T timed(Supplier<T> check, Duration limit) {
    long start = System.nanoTime();
    T result = check.get();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit);
    return result;
  }
}

package app.getbodhi.session.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.tck.SessionStoreContract;
import org.junit.jupiter.api.Test;

/**
 * The session store contract, run against PostgreSQL: {@code BODHI_TEST_PG_URL} when set, else an
 * embedded server; a fresh schema per test. Never skipped: without a server every test fails.
 */
class PgSessionStoreContractTest extends SessionStoreContract {

  PgSessionStoreContractTest() {
    super(
        () -> PostgresFixture.shared(PgSessionStore::dataSource).freshSchema(),
        PgSessionStore::connect,
        PgSessionStore::new);
  }

  @Test
  void the_suite_really_runs_against_postgresql_in_the_tests_own_schema() {
    assertRunsOn("postgres", PgSessionStore.class, "SELECT version()", "PostgreSQL");
    String schema = ((PostgresSchema) database).name();
    assertThat(
            database.queryStrings(
                "SELECT data_type FROM information_schema.columns"
                    + " WHERE table_schema = ? AND table_name = 'bodhi_sessions'"
                    + " AND column_name = 'expiry_date'",
                schema))
        .containsExactly("timestamp with time zone");
  }
}

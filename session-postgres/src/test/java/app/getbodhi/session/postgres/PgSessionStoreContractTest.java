package app.getbodhi.session.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.PostgresFixture;
import app.getbodhi.session.tck.PostgresSchema;
import app.getbodhi.session.tck.SessionStoreContract;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The session store contract, run against PostgreSQL: {@code BODHI_TEST_PG_URL} when set, else an
 * embedded server; a fresh schema per test. Never skipped: without a server every test fails.
 */
class PgSessionStoreContractTest extends SessionStoreContract {

  @Override
  protected TestDatabase newDatabase() {
    return PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
  }

  @Override
  protected ManagedSessionStore newStore(String url, SessionStoreConfig config) {
    return PgSessionStore.connect(url, config);
  }

  @Override
  protected ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new PgSessionStore(dataSource, config);
  }

  @Test
  void the_suite_really_runs_against_postgresql_in_the_tests_own_schema() {
    assertThat(store().backendName()).isEqualTo("postgres");
    assertThat(store()).isInstanceOf(PgSessionStore.class);
    assertThat(database.queryStrings("SELECT version()"))
        .singleElement()
        .asString()
        .startsWith("PostgreSQL");
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

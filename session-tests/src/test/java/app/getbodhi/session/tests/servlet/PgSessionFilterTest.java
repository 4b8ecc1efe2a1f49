package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.PostgresFixture;
import app.getbodhi.session.tck.PostgresSchema;
import app.getbodhi.session.tck.TestDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The session filter over HTTP, on PostgreSQL ({@code BODHI_TEST_PG_URL} when set, else an embedded
 * server), in a fresh schema per test. Never skipped: without a server every test fails.
 */
class PgSessionFilterTest extends HttpSessionContract {

  @Override
  protected TestDatabase newDatabase() {
    return PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
  }

  @Override
  protected DataSource newDataSource(TestDatabase database) {
    PostgresSchema schema = (PostgresSchema) database;
    HikariConfig config = new HikariConfig();
    config.setPoolName("filter-test-pg-" + schema.name());
    config.setJdbcUrl(schema.jdbcUrl());
    if (schema.server().user() != null) {
      config.setUsername(schema.server().user());
    }
    if (schema.server().password() != null) {
      config.setPassword(schema.server().password());
    }
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  @Override
  protected ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new PgSessionStore(dataSource, config);
  }

  @Override
  protected AutoCloseable refuseUpdates(TestDatabase database) {
    database.execute(
        "CREATE FUNCTION bodhi_test_refuse() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN RAISE EXCEPTION 'updates refused by the test'; END $$");
    database.execute(
        "CREATE TRIGGER bodhi_test_refuse_update BEFORE UPDATE ON bodhi_sessions"
            + " FOR EACH ROW EXECUTE FUNCTION bodhi_test_refuse()");
    return () -> database.execute("DROP FUNCTION bodhi_test_refuse() CASCADE");
  }

  @Test
  void the_suite_really_runs_on_postgresql_in_the_tests_own_schema() {
    assertThat(store.backendName()).isEqualTo("postgres");
    String schema = ((PostgresSchema) database).name();
    assertThat(
            database.queryStrings(
                "SELECT table_schema FROM information_schema.tables"
                    + " WHERE table_name = 'bodhi_sessions'"))
        .containsExactly(schema);
  }
}

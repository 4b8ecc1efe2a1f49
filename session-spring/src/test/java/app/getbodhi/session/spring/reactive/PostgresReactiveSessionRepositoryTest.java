package app.getbodhi.session.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The reactive repository contract on PostgreSQL ({@code BODHI_TEST_PG_URL} when set, else an
 * embedded server), in a fresh schema. Never skipped: without a server every test fails.
 */
class PostgresReactiveSessionRepositoryTest extends ReactiveSessionRepositoryContract {

  @Override
  TestDatabase newDatabase() {
    return PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
  }

  @Override
  ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new PgSessionStore(dataSource, config);
  }

  @Test
  void the_contract_really_runs_on_postgresql() {
    assertThat(repository.blocking().store().backendName()).isEqualTo("postgres");
  }
}

package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The Spring Session repository contract on MariaDB ({@code BODHI_TEST_MARIADB_URL} when set, else
 * an embedded server), in a fresh database. Never skipped: without a server every test fails.
 */
class MariaDbBodhiSessionRepositoryTest extends BodhiSessionRepositoryContract {

  @Override
  TestDatabase newDatabase() {
    return MariaDbFixture.freshDatabase();
  }

  @Override
  ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new MariaDbSessionStore(dataSource, config);
  }

  @Test
  void the_contract_really_runs_on_mariadb() {
    assertThat(repository.store().backendName()).isEqualTo("mariadb");
  }
}

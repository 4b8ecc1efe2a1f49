package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Spring Session repository contract on MariaDB ({@code BODHI_TEST_MARIADB_URL} when set, else
 * an embedded server), in a fresh database. Never skipped: without a server every test fails.
 */
class MariaDbBodhiSessionRepositoryTest extends BodhiSessionRepositoryContract {

  @Override
  TestBackend backend() {
    return TestBackend.MARIADB;
  }

  @Test
  void the_contract_really_runs_on_mariadb() {
    assertThat(repository.store().backendName()).isEqualTo("mariadb");
  }
}

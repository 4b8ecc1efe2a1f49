package app.getbodhi.session.spring.reactive;

import app.getbodhi.session.spring.TestBackend;

/**
 * The reactive repository contract on MariaDB ({@code BODHI_TEST_MARIADB_URL} when set, else an
 * embedded server), in a fresh database. Never skipped: without a server every test fails.
 */
class MariaDbReactiveSessionRepositoryTest extends ReactiveSessionRepositoryContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.MARIADB;
  }
}

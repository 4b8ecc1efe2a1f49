package app.getbodhi.session.spring;

/**
 * The Spring Session repository contract on MariaDB ({@code BODHI_TEST_MARIADB_URL} when set, else
 * an embedded server), in a fresh database. Never skipped: without a server every test fails.
 */
class MariaDbBodhiSessionRepositoryTest extends BodhiSessionRepositoryContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.MARIADB;
  }
}

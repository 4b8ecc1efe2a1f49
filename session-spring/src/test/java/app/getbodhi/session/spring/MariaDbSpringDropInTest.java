package app.getbodhi.session.spring;

/** The drop-in contract on MariaDB, in a fresh database; never skipped. */
class MariaDbSpringDropInTest extends SpringDropInContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.MARIADB;
  }
}

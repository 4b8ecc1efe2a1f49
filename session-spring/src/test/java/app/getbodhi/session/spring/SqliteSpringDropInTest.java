package app.getbodhi.session.spring;

/** The drop-in contract on a SQLite file. */
class SqliteSpringDropInTest extends SpringDropInContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.SQLITE;
  }
}

package app.getbodhi.session.spring;

/** The Spring Session repository contract on a SQLite file. */
class SqliteBodhiSessionRepositoryTest extends BodhiSessionRepositoryContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.SQLITE;
  }
}

package app.getbodhi.session.spring.reactive;

import app.getbodhi.session.spring.TestBackend;

/** The reactive repository contract on a SQLite file. */
class SqliteReactiveSessionRepositoryTest extends ReactiveSessionRepositoryContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.SQLITE;
  }
}

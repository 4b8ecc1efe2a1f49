package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's SessionRepositoryFilterTests, ported, on a SQLite file. */
class SqliteSessionRepositoryFilterTests extends AbstractSessionRepositoryFilterTests {

  SqliteSessionRepositoryFilterTests() {
    super(TestBackend.SQLITE);
  }
}

package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's JDBC repository integration tests, ported, on a SQLite file. */
class SqliteJdbcIndexedSessionRepositoryITests extends AbstractJdbcIndexedSessionRepositoryITests {

  SqliteJdbcIndexedSessionRepositoryITests() {
    super(TestBackend.SQLITE);
  }
}

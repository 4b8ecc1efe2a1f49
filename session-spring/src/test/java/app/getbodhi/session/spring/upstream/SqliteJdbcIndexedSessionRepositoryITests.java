package app.getbodhi.session.spring.upstream;

/** Spring Session's JDBC repository integration tests, ported, on a SQLite file. */
class SqliteJdbcIndexedSessionRepositoryITests extends AbstractJdbcIndexedSessionRepositoryITests {

  SqliteJdbcIndexedSessionRepositoryITests() {
    super(Backend.SQLITE);
  }
}

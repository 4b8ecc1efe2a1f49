package app.getbodhi.session.spring.upstream;

/** Spring Session's JDBC repository integration tests, ported, on PostgreSQL. */
class PostgreSqlJdbcIndexedSessionRepositoryITests
    extends AbstractJdbcIndexedSessionRepositoryITests {

  PostgreSqlJdbcIndexedSessionRepositoryITests() {
    super(Backend.POSTGRES);
  }
}

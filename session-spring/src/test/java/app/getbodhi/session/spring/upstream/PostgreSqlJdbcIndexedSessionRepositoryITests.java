package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's JDBC repository integration tests, ported, on PostgreSQL. */
class PostgreSqlJdbcIndexedSessionRepositoryITests
    extends AbstractJdbcIndexedSessionRepositoryITests {

  PostgreSqlJdbcIndexedSessionRepositoryITests() {
    super(TestBackend.POSTGRES);
  }
}

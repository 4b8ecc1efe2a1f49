package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's SessionRepositoryFilterTests, ported, on PostgreSQL. */
class PostgreSqlSessionRepositoryFilterTests extends AbstractSessionRepositoryFilterTests {

  PostgreSqlSessionRepositoryFilterTests() {
    super(TestBackend.POSTGRES);
  }
}

package app.getbodhi.session.spring.upstream;

/** Spring Session's SessionRepositoryFilterTests, ported, on PostgreSQL. */
class PostgreSqlSessionRepositoryFilterTests extends AbstractSessionRepositoryFilterTests {

  PostgreSqlSessionRepositoryFilterTests() {
    super(Backend.POSTGRES);
  }
}

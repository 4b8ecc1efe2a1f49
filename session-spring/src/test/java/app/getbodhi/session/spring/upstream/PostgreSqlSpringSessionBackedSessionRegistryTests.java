package app.getbodhi.session.spring.upstream;

/** Spring Session's SpringSessionBackedSessionRegistryTests, ported, on PostgreSQL. */
class PostgreSqlSpringSessionBackedSessionRegistryTests
    extends AbstractSpringSessionBackedSessionRegistryTests {

  PostgreSqlSpringSessionBackedSessionRegistryTests() {
    super(Backend.POSTGRES);
  }
}

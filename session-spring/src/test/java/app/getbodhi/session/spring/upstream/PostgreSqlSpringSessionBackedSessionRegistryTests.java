package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's SpringSessionBackedSessionRegistryTests, ported, on PostgreSQL. */
class PostgreSqlSpringSessionBackedSessionRegistryTests
    extends AbstractSpringSessionBackedSessionRegistryTests {

  PostgreSqlSpringSessionBackedSessionRegistryTests() {
    super(TestBackend.POSTGRES);
  }
}

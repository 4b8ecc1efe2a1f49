package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's SpringSessionBackedSessionRegistryTests, ported, on MariaDB. */
class MariaDbSpringSessionBackedSessionRegistryTests
    extends AbstractSpringSessionBackedSessionRegistryTests {

  MariaDbSpringSessionBackedSessionRegistryTests() {
    super(TestBackend.MARIADB);
  }
}

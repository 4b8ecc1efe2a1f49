package app.getbodhi.session.spring.upstream;

/** Spring Session's SpringSessionBackedSessionRegistryTests, ported, on MariaDB. */
class MariaDbSpringSessionBackedSessionRegistryTests
    extends AbstractSpringSessionBackedSessionRegistryTests {

  MariaDbSpringSessionBackedSessionRegistryTests() {
    super(Backend.MARIADB);
  }
}

package app.getbodhi.session.spring.upstream;

/** Spring Session's SessionRepositoryFilterTests, ported, on MariaDB. */
class MariaDbSessionRepositoryFilterTests extends AbstractSessionRepositoryFilterTests {

  MariaDbSessionRepositoryFilterTests() {
    super(Backend.MARIADB);
  }
}

package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's SessionRepositoryFilterTests, ported, on MariaDB. */
class MariaDbSessionRepositoryFilterTests extends AbstractSessionRepositoryFilterTests {

  MariaDbSessionRepositoryFilterTests() {
    super(TestBackend.MARIADB);
  }
}

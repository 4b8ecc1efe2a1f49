package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's JDBC repository integration tests, ported, on MariaDB. */
class MariaDbJdbcIndexedSessionRepositoryITests extends AbstractJdbcIndexedSessionRepositoryITests {

  MariaDbJdbcIndexedSessionRepositoryITests() {
    super(TestBackend.MARIADB);
  }
}

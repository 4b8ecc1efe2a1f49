package app.getbodhi.session.spring.upstream;

/** Spring Session's JDBC repository integration tests, ported, on MariaDB. */
class MariaDbJdbcIndexedSessionRepositoryITests extends AbstractJdbcIndexedSessionRepositoryITests {

  MariaDbJdbcIndexedSessionRepositoryITests() {
    super(Backend.MARIADB);
  }
}

package app.getbodhi.session.spring.upstream;

/** Spring Session's SpringSessionBackedSessionRegistryTests, ported, on a SQLite file. */
class SqliteSpringSessionBackedSessionRegistryTests
    extends AbstractSpringSessionBackedSessionRegistryTests {

  SqliteSpringSessionBackedSessionRegistryTests() {
    super(Backend.SQLITE);
  }
}

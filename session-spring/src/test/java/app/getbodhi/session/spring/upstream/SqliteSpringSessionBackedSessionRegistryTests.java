package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.spring.TestBackend;

/** Spring Session's SpringSessionBackedSessionRegistryTests, ported, on a SQLite file. */
class SqliteSpringSessionBackedSessionRegistryTests
    extends AbstractSpringSessionBackedSessionRegistryTests {

  SqliteSpringSessionBackedSessionRegistryTests() {
    super(TestBackend.SQLITE);
  }
}

package app.getbodhi.session.spring.upstream;

/** Spring Session's SessionRepositoryFilterTests, ported, on a SQLite file. */
class SqliteSessionRepositoryFilterTests extends AbstractSessionRepositoryFilterTests {

  SqliteSessionRepositoryFilterTests() {
    super(Backend.SQLITE);
  }
}

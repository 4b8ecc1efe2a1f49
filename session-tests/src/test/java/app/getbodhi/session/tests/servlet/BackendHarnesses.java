package app.getbodhi.session.tests.servlet;

import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;

/**
 * The harness on each backend the HTTP suites ({@link SessionFilterContract}, {@link
 * StolenDatabaseContract}) run on: a fresh database set up as an application would, and the
 * backend's store on its pool. Not yet open.
 */
final class BackendHarnesses {

  private BackendHarnesses() {}

  /**
   * SQLite in WAL mode, as an application runs it; the fixture's pool already waits on locks
   * (busy_timeout).
   *
   * @param database a fresh database file, such as {@code SqliteFixture.tempFile()}
   * @return the harness, which owns the database
   */
  static FilterHarness sqlite(SqliteFixture database) {
    // WAL stays with the file
    database.execute("PRAGMA journal_mode=WAL");
    return FilterHarness.on(database).stores(SqliteSessionStore::new);
  }

  /**
   * PostgreSQL ({@code BODHI_TEST_PG_URL} when set, else an embedded server), in a fresh schema.
   *
   * @return the harness, which drops the schema when closed
   */
  static FilterHarness postgres() {
    return FilterHarness.on(PostgresFixture.shared(PgSessionStore::dataSource).freshSchema())
        .stores(PgSessionStore::new);
  }

  /**
   * MariaDB ({@code BODHI_TEST_MARIADB_URL} when set, else an embedded server), in a fresh
   * database.
   *
   * @return the harness, which drops the database when closed
   */
  static FilterHarness mariadb() {
    return FilterHarness.on(MariaDbFixture.freshDatabase()).stores(MariaDbSessionStore::new);
  }
}

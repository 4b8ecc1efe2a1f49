package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The session filter over HTTP, on SQLite in a temporary file, in WAL mode with a busy timeout as
 * an application opens it.
 */
class SqliteSessionFilterTest extends SessionFilterContract {

  @Override
  protected TestDatabase newDatabase() {
    SqliteFixture database = SqliteFixture.tempFile();
    // WAL stays with the file; the fixture's pool already waits on locks (busy_timeout)
    database.execute("PRAGMA journal_mode=WAL");
    return database;
  }

  @Override
  protected ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new SqliteSessionStore(dataSource, config);
  }

  @Test
  void the_suite_really_runs_on_sqlite_in_wal_mode() {
    http.newSession("set:k:v");

    assertThat(http.store().backendName()).isEqualTo("sqlite");
    assertThat(http.database().queryStrings("PRAGMA journal_mode")).containsExactly("wal");
  }
}

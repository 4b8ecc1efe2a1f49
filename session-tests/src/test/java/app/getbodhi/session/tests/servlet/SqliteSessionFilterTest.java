package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.sqlite.testing.SqliteFixture;
import org.junit.jupiter.api.Test;

/**
 * The session filter over HTTP, on SQLite in a temporary file, in WAL mode with a busy timeout as
 * an application opens it.
 */
class SqliteSessionFilterTest extends SessionFilterContract {

  @Override
  protected FilterHarness newHarness() {
    return BackendHarnesses.sqlite(SqliteFixture.tempFile());
  }

  @Test
  void the_suite_really_runs_on_sqlite_in_wal_mode() {
    http.newSession("set:k:v");

    assertThat(http.store().backendName()).isEqualTo("sqlite");
    assertThat(http.database().queryStrings("PRAGMA journal_mode")).containsExactly("wal");
  }
}

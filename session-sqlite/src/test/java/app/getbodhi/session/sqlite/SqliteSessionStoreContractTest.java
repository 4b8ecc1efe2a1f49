package app.getbodhi.session.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.SessionStoreContract;
import org.junit.jupiter.api.Test;

/** The session store contract, run against SQLite in a temporary file. */
class SqliteSessionStoreContractTest extends SessionStoreContract {

  SqliteSessionStoreContractTest() {
    super(SqliteFixture::tempFile, SqliteSessionStore::open, SqliteSessionStore::new);
  }

  @Test
  void the_suite_really_runs_against_sqlite_with_expiry_kept_as_epoch_milliseconds() {
    assertRunsOn("sqlite", SqliteSessionStore.class, "SELECT sqlite_version()", "3.");
    assertThat(
            database.queryStrings(
                "SELECT upper(type) FROM pragma_table_info('bodhi_sessions') WHERE name = 'expiry_date'"))
        .containsExactly("INTEGER");
    assertThat(((SqliteFixture) database).file()).isRegularFile();
  }
}

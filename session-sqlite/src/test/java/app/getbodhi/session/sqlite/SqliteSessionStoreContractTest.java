package app.getbodhi.session.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.SessionStoreContract;
import app.getbodhi.session.tck.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The session store contract, run against SQLite in a temporary file. */
class SqliteSessionStoreContractTest extends SessionStoreContract {

  @Override
  protected TestDatabase newDatabase() {
    return SqliteFixture.tempFile();
  }

  @Override
  protected ManagedSessionStore newStore(String url, SessionStoreConfig config) {
    return SqliteSessionStore.open(url, config);
  }

  @Override
  protected ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new SqliteSessionStore(dataSource, config);
  }

  @Test
  void the_suite_really_runs_against_sqlite_with_expiry_kept_as_epoch_milliseconds() {
    assertThat(store().backendName()).isEqualTo("sqlite");
    assertThat(store()).isInstanceOf(SqliteSessionStore.class);
    assertThat(database.queryStrings("SELECT sqlite_version()"))
        .singleElement()
        .asString()
        .startsWith("3.");
    assertThat(
            database.queryStrings(
                "SELECT upper(type) FROM pragma_table_info('bodhi_sessions') WHERE name = 'expiry_date'"))
        .containsExactly("INTEGER");
    assertThat(((SqliteFixture) database).file()).isRegularFile();
  }
}

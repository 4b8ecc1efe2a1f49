package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.tck.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The session filter over HTTP, on SQLite in a temporary file, with the layer's store on a WAL-mode
 * HikariCP pool as an application would open it.
 */
class SqliteSessionFilterTest extends HttpSessionContract {

  @Override
  protected TestDatabase newDatabase() {
    return SqliteFixture.tempFile();
  }

  @Override
  protected DataSource newDataSource(TestDatabase database) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("filter-test-sqlite");
    config.setJdbcUrl("jdbc:sqlite:" + ((SqliteFixture) database).file());
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", "NORMAL");
    config.addDataSourceProperty("busy_timeout", "10000");
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(0);
    return new HikariDataSource(config);
  }

  @Override
  protected ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new SqliteSessionStore(dataSource, config);
  }

  @Override
  protected AutoCloseable refuseUpdates(TestDatabase database) {
    database.execute(
        "CREATE TRIGGER bodhi_test_refuse_update BEFORE UPDATE ON bodhi_sessions"
            + " BEGIN SELECT RAISE(ABORT, 'updates refused by the test'); END");
    return () -> database.execute("DROP TRIGGER bodhi_test_refuse_update");
  }

  @Test
  void the_suite_really_runs_on_sqlite_in_wal_mode() {
    newSession("set:k:v");

    assertThat(store.backendName()).isEqualTo("sqlite");
    assertThat(database.queryStrings("PRAGMA journal_mode")).containsExactly("wal");
  }
}

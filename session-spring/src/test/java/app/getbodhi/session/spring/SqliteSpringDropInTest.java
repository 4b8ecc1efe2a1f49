package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;

/** The drop-in contract on a SQLite file. */
class SqliteSpringDropInTest extends SpringDropInContract {

  @Override
  TestDatabase newDatabase() {
    return SqliteFixture.tempFile();
  }

  @Override
  ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new SqliteSessionStore(dataSource, config);
  }
}

package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;

/** The drop-in contract on PostgreSQL, in a fresh schema; never skipped. */
class PostgresSpringDropInTest extends SpringDropInContract {

  @Override
  TestDatabase newDatabase() {
    return PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
  }

  @Override
  ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new PgSessionStore(dataSource, config);
  }
}

package app.getbodhi.session.tests;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.TestDatabase;

/**
 * The backends several application nodes share over the network, each with a fresh database on the
 * JVM's shared test server ({@code BODHI_TEST_PG_URL} and {@code BODHI_TEST_MARIADB_URL} when set,
 * else embedded): for {@code @EnumSource} tests of what a cluster does.
 */
enum SharedServer {
  POSTGRES {
    @Override
    TestDatabase freshDatabase() {
      return PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
    }

    @Override
    ManagedSessionStore connect(String url, SessionStoreConfig config) {
      return PgSessionStore.connect(url, config);
    }
  },
  MARIADB {
    @Override
    TestDatabase freshDatabase() {
      return MariaDbFixture.freshDatabase();
    }

    @Override
    ManagedSessionStore connect(String url, SessionStoreConfig config) {
      return MariaDbSessionStore.connect(url, config);
    }
  };

  /**
   * Makes a new, empty database; closing it removes it.
   *
   * @return the database
   */
  abstract TestDatabase freshDatabase();

  /**
   * Opens the backend's store with a pool of its own, as a node does, without migrating.
   *
   * @param url the database's URL
   * @param config the settings
   * @return the store, which the caller closes
   */
  abstract ManagedSessionStore connect(String url, SessionStoreConfig config);
}

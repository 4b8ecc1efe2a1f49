package app.getbodhi.session.mariadb;

import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.tck.ServerSealedStorageContract;

/** The sealed-storage contract on MariaDB, whose old row versions OPTIMIZE TABLE reclaims. */
class MariaDbSealedStorageTest extends ServerSealedStorageContract {

  MariaDbSealedStorageTest() {
    super(
        MariaDbFixture::freshDatabase,
        MariaDbSessionStore::connect,
        MariaDbSessionStore::new,
        "OPTIMIZE TABLE bodhi_sessions");
  }
}

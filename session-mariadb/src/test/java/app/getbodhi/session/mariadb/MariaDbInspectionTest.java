package app.getbodhi.session.mariadb;

import app.getbodhi.session.jooq.ServerInspector;
import app.getbodhi.session.mariadb.internal.MariaDbUrl;
import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.mariadb.testing.MariaDbServer;
import app.getbodhi.session.tck.InspectionContract;

/** The inspection contract on MariaDB, against the kit's test server. */
class MariaDbInspectionTest extends InspectionContract<MariaDbDatabase> {

  MariaDbInspectionTest() {
    super(
        new MariaDbSessionStoreProvider(),
        "MariaDB",
        ServerInspector.CONNECT_TIMEOUT,
        MariaDbFixture::freshDatabase);
  }

  /** The fixture logs in as its one user; the test database has no login of its own. */
  @Override
  protected String urlWithPassword(String password) {
    return database.url();
  }

  @Override
  protected String urlOfAMissingDatabase(String url) {
    return MariaDbServer.shared().urlFor(database.name() + "_missing");
  }

  /** The URL's one host, and whether the server refuses writes. */
  @Override
  protected String expectedServer(String url) {
    return MariaDbUrl.parse(url).server() + " (read-write)";
  }
}

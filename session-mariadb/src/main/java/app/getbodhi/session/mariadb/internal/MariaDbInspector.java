package app.getbodhi.session.mariadb.internal;

import app.getbodhi.session.jooq.SchemaReader;
import app.getbodhi.session.jooq.ServerInspector;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.mariadb.jdbc.Driver;

/**
 * The MariaDB backend's read-only look at a URL, for {@code MariaDbSessionStoreProvider.inspect}:
 * {@link ServerInspector}'s, with the store's session settings and the server's {@code read_only}
 * flag.
 */
public final class MariaDbInspector extends ServerInspector<MariaDbUrl> {

  /** MariaDB's error for a database that does not exist ({@code ER_BAD_DB_ERROR}). */
  static final int UNKNOWN_DATABASE = 1049;

  /** Creates the inspector; it holds no state. */
  public MariaDbInspector() {
    super(
        MariaDbSessionStore.PROFILE,
        "MariaDB",
        Driver.class.getName(),
        MariaDbUrl::parse,
        e -> e.getErrorCode() == UNKNOWN_DATABASE);
  }

  @Override
  protected void addDriverProperties(Properties properties) {
    // the store's session settings, so that expiry is compared in UTC as the store writes it
    properties.putAll(MariaDbSessionSettings.driverProperties());
    // milliseconds, the driver's unit
    properties.putIfAbsent("connectTimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
    properties.putIfAbsent("socketTimeout", Long.toString(SchemaReader.QUERY_TIMEOUT.toMillis()));
  }

  /** Names the server (the URL's one host) and whether it refuses writes ({@code read_only}). */
  @Override
  protected String server(MariaDbUrl url, Connection connection) throws SQLException {
    String role =
        queryValue(connection, "SELECT IF(@@global.read_only, 'read-only', 'read-write')")
            .orElseThrow();
    return url.server() + " (" + role + ")";
  }
}

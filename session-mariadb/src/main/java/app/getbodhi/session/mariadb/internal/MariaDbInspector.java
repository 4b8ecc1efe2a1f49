package app.getbodhi.session.mariadb.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.ServerPool;
import app.getbodhi.session.jooq.internal.SchemaReader;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.mariadb.jdbc.Driver;

/**
 * The MariaDB backend's read-only look at a URL: one connection of its own, opened with a short
 * timeout, that only reads. A server that cannot be reached, a login that is refused or a database
 * that does not exist is a problem in the result, never an exception, and never waits for long.
 */
public final class MariaDbInspector {

  /** How long connecting may take before the server counts as unreachable: 5 seconds. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** MariaDB's error for a database that does not exist ({@code ER_BAD_DB_ERROR}). */
  static final int UNKNOWN_DATABASE = 1049;

  private static final SchemaReader READER = new SchemaReader(MariaDbSessionStore.PROFILE);

  private MariaDbInspector() {}

  /**
   * Inspects what a URL names, for {@code MariaDbSessionStoreProvider.inspect}: never throws for
   * the server's state, and gives up connecting after {@link #CONNECT_TIMEOUT}.
   *
   * @param url a MariaDB session URL
   * @param clock what separates live from expired sessions
   * @return what was found
   */
  public static StoreInspection inspect(String url, Clock clock) {
    MariaDbUrl parsed;
    try {
      parsed = MariaDbUrl.parse(url);
    } catch (SessionServiceException e) {
      return READER.unread(url, Database.UNREADABLE, List.of(e.getMessage()));
    }
    Properties properties = parsed.properties();
    // the store's session settings, so that expiry is compared in UTC as the store writes it
    properties.putAll(MariaDbSessionSettings.driverProperties());
    properties.putIfAbsent("connectTimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
    properties.putIfAbsent("socketTimeout", Long.toString(SchemaReader.QUERY_TIMEOUT.toMillis()));
    try (Connection connection =
        ServerPool.unpooled(Driver.class.getName(), parsed.jdbcUrl(), properties).getConnection()) {
      connection.setReadOnly(true);
      return READER.found(
          url, connection, clock.instant(), List.of(), Optional.of(server(parsed, connection)));
    } catch (SQLException e) {
      return READER.unread(
          url,
          Database.UNREADABLE,
          List.of(
              SchemaReader.connectionProblem(
                  "MariaDB",
                  parsed.redactedUrl(),
                  e,
                  e.getErrorCode() == UNKNOWN_DATABASE,
                  CONNECT_TIMEOUT)));
    }
  }

  /** Names the server (the URL's one host) and whether it refuses writes ({@code read_only}). */
  private static String server(MariaDbUrl url, Connection connection) throws SQLException {
    boolean readOnly;
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) SchemaReader.QUERY_TIMEOUT.toSeconds());
      try (ResultSet rows = statement.executeQuery("SELECT @@global.read_only")) {
        rows.next();
        readOnly = rows.getBoolean(1);
      }
    }
    return url.host() + ":" + url.port() + (readOnly ? " (read-only)" : " (read-write)");
  }
}

package app.getbodhi.session.mariadb.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.internal.DriverMessages;
import app.getbodhi.session.jooq.internal.SchemaReader;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The MariaDB backend's read-only look at a URL: one connection of its own, with the store's
 * session settings, opened with a short timeout, that only reads. A server that cannot be reached,
 * a login that is refused or a database that does not exist is a problem in the result, never an
 * exception, and never waits for long.
 */
public final class MariaDbInspector {

  /** How long connecting may take before the server counts as unreachable: 5 seconds. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** MariaDB's error for a database that does not exist ({@code ER_BAD_DB_ERROR}). */
  private static final int UNKNOWN_DATABASE = 1049;

  /** MariaDB's error for a refused login ({@code ER_ACCESS_DENIED_ERROR}). */
  private static final int ACCESS_DENIED = 1045;

  /** MariaDB's error for a database the user may not use ({@code ER_DBACCESS_DENIED_ERROR}). */
  private static final int DATABASE_ACCESS_DENIED = 1044;

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
      return unreadable(url, e.getMessage());
    }
    Properties properties = parsed.properties();
    // the store's session settings: the counts compare expiry times in UTC, as the store writes
    // them
    properties.putAll(MariaDbSessionSettings.driverProperties());
    properties.putIfAbsent("connectTimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
    properties.putIfAbsent("socketTimeout", Long.toString(SchemaReader.QUERY_TIMEOUT.toMillis()));
    DirectDataSource connections = new DirectDataSource(parsed.jdbcUrl(), properties);
    try (Connection connection = connections.getConnection()) {
      connection.setReadOnly(true);
      return READER.found(url, connection, clock.instant(), List.of());
    } catch (SQLException e) {
      return unreadable(url, describe(parsed, e));
    }
  }

  private static String describe(MariaDbUrl url, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = "the MariaDB session database " + url.redactedUrl();
    String reason = DriverMessages.firstLine(e);
    if (e.getErrorCode() == UNKNOWN_DATABASE) {
      return "The database of "
          + where
          + " does not exist: "
          + reason
          + " Create it (CREATE DATABASE); migrate creates the session table, not the database.";
    }
    if (e.getErrorCode() == ACCESS_DENIED
        || e.getErrorCode() == DATABASE_ACCESS_DENIED
        || state.startsWith("28")) {
      return "The server refused the login to "
          + where
          + ": "
          + reason
          + " Check the user name, the password and the user's grants on the database.";
    }
    if (state.startsWith("08") || state.isEmpty()) {
      return "Could not connect to "
          + where
          + " within "
          + CONNECT_TIMEOUT.toSeconds()
          + " s: "
          + reason
          + " Check that the server is running and reachable.";
    }
    return "Could not read " + where + ": " + reason;
  }

  private static StoreInspection unreadable(String url, String problem) {
    return READER.unread(url, Database.UNREADABLE, List.of(problem));
  }
}

package app.getbodhi.session.postgres.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.internal.DriverMessages;
import app.getbodhi.session.jooq.internal.SchemaReader;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL backend's read-only look at a URL: one connection of its own, opened with a short
 * timeout, that only reads. A server that cannot be reached, a login that is refused or a database
 * that does not exist is a problem in the result, never an exception, and never waits for long.
 */
public final class PgInspector {

  /** How long connecting may take before the server counts as unreachable: 5 seconds. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** What the server shows in {@code pg_stat_activity} for this connection. */
  static final String APPLICATION_NAME = "bodhi-sessions inspect";

  private static final SchemaReader READER = new SchemaReader(PgSessionStore.PROFILE);

  private PgInspector() {}

  /**
   * Inspects what a URL names, for {@code PgSessionStoreProvider.inspect}: never throws for the
   * server's state, and gives up connecting after {@link #CONNECT_TIMEOUT}.
   *
   * @param url a PostgreSQL session URL
   * @param clock what separates live from expired sessions
   * @return what was found
   */
  public static StoreInspection inspect(String url, Clock clock) {
    PgUrl parsed;
    try {
      parsed = PgUrl.parse(url);
    } catch (SessionServiceException e) {
      return unreadable(url, e.getMessage());
    }
    Properties properties = parsed.properties();
    properties.putIfAbsent("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
    properties.putIfAbsent("loginTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
    properties.putIfAbsent("socketTimeout", Long.toString(SchemaReader.QUERY_TIMEOUT.toSeconds()));
    properties.put("ApplicationName", APPLICATION_NAME);
    // error details may quote row values; a problem must never carry them
    properties.put("logServerErrorDetail", "false");
    properties.put("readOnly", "true");
    DirectDataSource connections = new DirectDataSource(parsed.jdbcUrl(), properties);
    try (Connection connection = connections.getConnection()) {
      List<String> problems = new ArrayList<>();
      if (currentSchema(connection).isEmpty()) {
        problems.add(
            "No schema of the connection's search path exists in the PostgreSQL session database "
                + parsed.redactedUrl()
                + ", so there is nowhere to create the session table. Create the schema"
                + " (CREATE SCHEMA) or fix currentSchema in the URL.");
      }
      return READER.found(url, connection, clock.instant(), problems);
    } catch (SQLException e) {
      return unreadable(url, describe(parsed, e));
    }
  }

  private static Optional<String> currentSchema(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) SchemaReader.QUERY_TIMEOUT.toSeconds());
      try (ResultSet rows = statement.executeQuery("SELECT current_schema()")) {
        rows.next();
        return Optional.ofNullable(rows.getString(1));
      }
    }
  }

  private static String describe(PgUrl url, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = "the PostgreSQL session database " + url.redactedUrl();
    String reason = DriverMessages.firstLine(e);
    if (state.equals("3D000")) {
      return "The database of "
          + where
          + " does not exist: "
          + reason
          + " Create it (CREATE DATABASE); migrate creates the session table, not the database.";
    }
    if (state.startsWith("28")) {
      return "The server refused the login to "
          + where
          + ": "
          + reason
          + " Check the user name and password.";
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

package app.getbodhi.session.postgres.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.ServerPool;
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
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;

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
    DataSource connections =
        ServerPool.unpooled(Driver.class.getName(), parsed.jdbcUrl(), properties);
    try (Connection connection = connections.getConnection()) {
      List<String> problems = new ArrayList<>();
      if (currentSchema(connection).isEmpty()) {
        problems.add(
            "No schema of the connection's search path exists in the PostgreSQL session database "
                + parsed.redactedUrl()
                + ", so there is nowhere to create the session table. Create the schema"
                + " (CREATE SCHEMA) or fix currentSchema in the URL.");
      }
      return READER.found(
          url, connection, clock.instant(), problems, Optional.of(server(connection)));
    } catch (SQLException e) {
      return unreadable(
          url,
          SchemaReader.connectionProblem(
              "PostgreSQL",
              parsed.redactedUrl(),
              e,
              "3D000".equals(e.getSQLState()),
              CONNECT_TIMEOUT));
    }
  }

  /**
   * Names the server that answered: with several hosts in the URL, the one the driver settled on,
   * as the URL names it, and whether it is a primary or a standby.
   */
  static String server(Connection connection) throws SQLException {
    HostSpec host = connection.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
    boolean standby;
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) SchemaReader.QUERY_TIMEOUT.toSeconds());
      try (ResultSet rows = statement.executeQuery("SELECT pg_is_in_recovery()")) {
        rows.next();
        standby = rows.getBoolean(1);
      }
    }
    return host.getHost() + ":" + host.getPort() + (standby ? " (standby)" : " (primary)");
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

  private static StoreInspection unreadable(String url, String problem) {
    return READER.unread(url, Database.UNREADABLE, List.of(problem));
  }
}

package app.getbodhi.session.postgres.internal;

import app.getbodhi.session.jooq.SchemaReader;
import app.getbodhi.session.jooq.ServerInspector;
import app.getbodhi.session.postgres.PgSessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;

/**
 * The PostgreSQL backend's read-only look at a URL, for {@code PgSessionStoreProvider.inspect}:
 * {@link ServerInspector}'s, with a check that the search path names a schema that exists, and the
 * host of a multi-host URL that answered.
 */
public final class PgInspector extends ServerInspector<PgUrl> {

  /** What the server shows in {@code pg_stat_activity} for this connection. */
  static final String APPLICATION_NAME = "bodhi-sessions inspect";

  /** PostgreSQL's SQLState for a database that does not exist ({@code invalid_catalog_name}). */
  static final String UNKNOWN_DATABASE = "3D000";

  /** Creates the inspector; it holds no state. */
  public PgInspector() {
    super(
        PgSessionStore.PROFILE,
        "PostgreSQL",
        Driver.class.getName(),
        PgUrl::parse,
        e -> UNKNOWN_DATABASE.equals(e.getSQLState()));
  }

  @Override
  protected void addDriverProperties(Properties properties) {
    // whole seconds, the driver's unit
    properties.putIfAbsent("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
    properties.putIfAbsent("loginTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
    properties.putIfAbsent("socketTimeout", Long.toString(SchemaReader.QUERY_TIMEOUT.toSeconds()));
    properties.put("ApplicationName", APPLICATION_NAME);
    // error details may quote row values; a problem must never carry them
    properties.put("logServerErrorDetail", "false");
    properties.put("readOnly", "true");
  }

  /**
   * Names the server that answered: with several hosts in the URL, the one the driver settled on,
   * as the URL names it, and whether it is a primary or a standby.
   */
  @Override
  protected String server(PgUrl url, Connection connection) throws SQLException {
    HostSpec host = connection.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
    String role =
        queryValue(
                connection,
                "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby' ELSE 'primary' END")
            .orElseThrow();
    return host.getHost() + ":" + host.getPort() + " (" + role + ")";
  }

  /** A search path none of whose schemas exists leaves the store nowhere to create its table. */
  @Override
  protected List<String> problems(PgUrl url, Connection connection) throws SQLException {
    if (queryValue(connection, "SELECT current_schema()").isPresent()) {
      return List.of();
    }
    return List.of(
        "No schema of the connection's search path exists in the PostgreSQL session database "
            + url.redactedUrl()
            + ", so there is nowhere to create the session table. Create the schema"
            + " (CREATE SCHEMA) or fix currentSchema in the URL.");
  }
}

package app.getbodhi.session.postgres.internal;

import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.Driver;

/**
 * Where a PostgreSQL URL keeps its sessions: the servers, the database and the schema, so that two
 * URLs spelled differently (libpq or JDBC form, other users or parameters, {@code localhost} or
 * {@code 127.0.0.1}) can be compared. Host names are not looked up in DNS; only the loopback
 * spellings are taken as one.
 *
 * @param servers every {@code host:port} the URL may connect to, lower case
 * @param database the database name, as PostgreSQL compares it (case-sensitive)
 * @param schema the schema the session table lives in
 */
public record PgLocation(Set<String> servers, String database, String schema) {

  /** The schema a connection without {@code currentSchema} creates tables in, normally. */
  static final String DEFAULT_SCHEMA = "public";

  private static final Set<String> LOOPBACK =
      Set.of("localhost", "127.0.0.1", "::1", "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]");

  /**
   * Finds where a URL keeps its sessions.
   *
   * @param url a PostgreSQL session URL
   * @return the location
   * @throws app.getbodhi.session.SessionServiceException of kind CONFIGURATION for a malformed URL
   */
  public static PgLocation of(String url) {
    PgUrl parsed = PgUrl.parse(url);
    // the driver's own reading of its URL and properties: the same one it connects with
    Properties resolved = Driver.parseURL(parsed.jdbcUrl(), parsed.properties());
    if (resolved == null) {
      throw new IllegalStateException("PgUrl built a URL the driver does not accept");
    }
    String[] hosts = resolved.getProperty("PGHOST", PgUrl.DEFAULT_HOST).split(",");
    String[] ports = resolved.getProperty("PGPORT", String.valueOf(PgUrl.DEFAULT_PORT)).split(",");
    Set<String> servers = new TreeSet<>();
    for (int i = 0; i < hosts.length; i++) {
      String port = i < ports.length ? ports[i] : String.valueOf(PgUrl.DEFAULT_PORT);
      servers.add(host(hosts[i]) + ":" + port.strip());
    }
    String database = resolved.getProperty("PGDBNAME", PgUrl.DEFAULT_DATABASE);
    return new PgLocation(servers, database, schema(resolved.getProperty("currentSchema")));
  }

  private static String host(String host) {
    String lower = host.strip().toLowerCase(Locale.ROOT);
    return LOOPBACK.contains(lower) || lower.startsWith("127.") ? "localhost" : lower;
  }

  /** The first schema of {@code currentSchema}: where tables are created and found first. */
  private static String schema(String currentSchema) {
    if (currentSchema == null || currentSchema.isBlank()) {
      return DEFAULT_SCHEMA;
    }
    String first = currentSchema.split(",")[0].strip();
    // an unquoted identifier is folded to lower case, a quoted one kept as written
    if (first.length() >= 2 && first.startsWith("\"") && first.endsWith("\"")) {
      return first.substring(1, first.length() - 1);
    }
    return first.toLowerCase(Locale.ROOT);
  }

  /**
   * Tells whether two locations may be the same store: the same database and schema on a server
   * both can reach.
   *
   * @param other another location
   * @return whether they overlap
   */
  public boolean sameStoreAs(PgLocation other) {
    return database.equals(other.database)
        && schema.equals(other.schema)
        && servers.stream().anyMatch(other.servers::contains);
  }
}

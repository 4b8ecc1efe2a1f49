package app.getbodhi.session.mariadb.internal;

import java.util.Map;
import java.util.Properties;

/**
 * The session settings every connection of a MariaDB session store needs, whatever the server's
 * global defaults: the statements and the schema are written for them.
 *
 * <ul>
 *   <li>{@value #SQL_MODE} as {@code sql_mode}: strict for every table (a value too long for its
 *       column, or not valid for its type, is an error, never truncated or converted with a
 *       warning), no zero dates, no silent engine substitution; and without the modes that change
 *       how SQL is parsed ({@code ANSI_QUOTES}, {@code PIPES_AS_CONCAT}, {@code
 *       NO_BACKSLASH_ESCAPES}...), which an operator may have set globally.
 *   <li>{@code time_zone = '+00:00'}: the store keeps instants as UTC {@code DATETIME(3)} and binds
 *       them as {@code LocalDateTime} in UTC, which no time zone converts; UTC as the session's
 *       zone makes {@code NOW()} and any {@code TIMESTAMP} agree with that.
 *   <li>{@code useAffectedRows=true} (a driver option, not a session variable): an update count is
 *       the rows a statement changed, not the rows it found. {@code INSERT ... ON DUPLICATE KEY
 *       UPDATE id = id} then counts 1 for a row inserted and 0 for an id already taken (with the
 *       driver's default, found rows, both count 1), which is how {@code create} tells them apart.
 *       An UPDATE that matches a row but changes nothing counts 0; every UPDATE of the store also
 *       bumps {@code revision}, so a matched row always counts 1. An upsert counts 1 when it
 *       inserts and 2 when it updates, in both modes.
 * </ul>
 *
 * <p>They travel as Connector/J's {@code sessionVariables}, which the driver sends with its own
 * set-up query on every new connection, so no pool or caller can forget them. A data source the
 * store does not open itself gets the session variables from {@link #INIT_SQL}, but its update
 * counts stay whatever its driver options say.
 */
public final class MariaDbSessionSettings {

  /** The SQL mode of every connection. */
  public static final String SQL_MODE =
      "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
          + "NO_ENGINE_SUBSTITUTION";

  /** The same settings as one statement, for a connection the store did not open. */
  public static final String INIT_SQL =
      "SET SESSION sql_mode = '" + SQL_MODE + "', time_zone = '+00:00'";

  private static final Map<String, String> DRIVER_PROPERTIES =
      Map.of(
          "sessionVariables",
          "sql_mode='" + SQL_MODE + "',time_zone='+00:00'",
          "useAffectedRows",
          "true");

  private MariaDbSessionSettings() {}

  /**
   * Returns the Connector/J properties that apply the settings on every new connection.
   *
   * @return a new properties object the caller may change
   */
  public static Properties driverProperties() {
    Properties properties = new Properties();
    properties.putAll(DRIVER_PROPERTIES);
    return properties;
  }
}

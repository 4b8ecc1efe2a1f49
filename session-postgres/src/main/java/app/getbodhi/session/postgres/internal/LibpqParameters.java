package app.getbodhi.session.postgres.internal;

import app.getbodhi.session.jooq.ServerUrl;
import app.getbodhi.session.jooq.UrlProblems;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * libpq's query parameters turned into pgjdbc's driver properties. The libpq names that pgjdbc
 * spells differently are translated: {@code application_name} to {@code ApplicationName}, {@code
 * connect_timeout} (seconds) to {@code connectTimeout}, {@code keepalives} ({@code 1}/{@code 0}) to
 * {@code tcpKeepAlive}, and {@code target_session_attrs} to {@code targetServerType} (see {@link
 * #TARGET_SERVER_TYPES}). {@code user}, {@code password} and {@code dbname} override the URL's own.
 * {@code host}, {@code hostaddr} and {@code port} are refused (hosts go in the host part), and so
 * are the {@linkplain PgUnsafeParameters unsafe} ones. Every other parameter, {@code sslmode},
 * {@code sslrootcert}, {@code sslcert}, {@code sslkey}, {@code options} and {@code currentSchema}
 * included, is passed to the driver under its own name.
 *
 * @param user the user, from the URL or its {@code user} parameter
 * @param password the password, from the URL or its {@code password} parameter
 * @param database the database, from the URL's path or its {@code dbname} parameter
 * @param properties the driver properties, without user and password
 */
record LibpqParameters(
    Optional<String> user,
    Optional<String> password,
    Optional<String> database,
    Properties properties) {

  /**
   * libpq's {@code target_session_attrs} values, as pgjdbc's {@code targetServerType}: with several
   * hosts, which one a connection may settle on. pgjdbc has an equivalent for each of libpq's
   * values; it tells a primary from a standby by {@code transaction_read_only}.
   */
  static final Map<String, String> TARGET_SERVER_TYPES =
      Map.of(
          "any", "any",
          "read-write", "primary",
          "primary", "primary",
          "read-only", "secondary",
          "standby", "secondary",
          "prefer-standby", "preferSecondary");

  /** The sslmode values libpq and pgjdbc share. */
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /**
   * Translates the parameters of a libpq URL.
   *
   * @param url the parsed URL
   * @param problems the errors of the URL
   * @return user, password, database and the driver properties
   * @throws app.getbodhi.session.SessionServiceException of kind CONFIGURATION for a refused
   *     parameter or a value libpq would not take
   */
  static LibpqParameters translate(ServerUrl url, UrlProblems problems) {
    Optional<String> user = url.user();
    Optional<String> password = url.password();
    Optional<String> database = url.database();
    Properties properties = new Properties();
    for (ServerUrl.Parameter parameter : url.parameters()) {
      String name = parameter.name();
      String value = parameter.value();
      PgUnsafeParameters.refuse(name, problems);
      switch (name) {
        case "user" -> user = Optional.of(value);
        case "password" -> password = Optional.of(value);
        case "dbname" -> database = Optional.of(value);
        case "host", "hostaddr", "port" ->
            throw problems.invalid(
                "the query parameter "
                    + name
                    + " is not supported; put hosts and ports in the URL's host part, as in"
                    + " postgres://user@host1:5432,host2:5433/dbname");
        case "application_name" -> properties.setProperty("ApplicationName", value);
        case "connect_timeout" -> {
          if (!value.matches("[0-9]{1,9}")) {
            throw problems.invalid(
                "connect_timeout must be a whole number of seconds (0 waits forever)");
          }
          properties.setProperty("connectTimeout", value);
        }
        case "keepalives" -> {
          if (!value.equals("0") && !value.equals("1")) {
            throw problems.invalid("keepalives must be 1 (on) or 0 (off)");
          }
          properties.setProperty("tcpKeepAlive", value.equals("1") ? "true" : "false");
        }
        case "target_session_attrs" -> {
          String type = TARGET_SERVER_TYPES.get(value);
          if (type == null) {
            throw problems.invalid(
                "target_session_attrs must be one of "
                    + new TreeSet<>(TARGET_SERVER_TYPES.keySet()));
          }
          properties.setProperty("targetServerType", type);
        }
        case "sslmode" -> {
          if (!SSL_MODES.contains(value)) {
            throw problems.invalid(
                "sslmode must be one of " + new TreeSet<>(SSL_MODES) + " (libpq's values)");
          }
          properties.setProperty(name, value);
        }
        default -> properties.setProperty(name, value);
      }
    }
    return new LibpqParameters(user, password, database, properties);
  }
}

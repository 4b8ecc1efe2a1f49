package app.getbodhi.session.postgres.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.DriverUrl;
import app.getbodhi.session.jooq.ServerUrl;
import app.getbodhi.session.jooq.UrlProblems;
import app.getbodhi.session.spi.DatabaseUrls;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;

/**
 * A PostgreSQL URL split into what the JDBC driver needs: a {@code jdbc:postgresql://} URL that
 * holds no credentials (nor, from a libpq URL, any query parameter), and driver properties that
 * hold the rest. The password only ever sits in {@link #properties()}, so neither HikariCP nor
 * Flyway, which log the JDBC URL, can print it.
 *
 * <p>Two forms are accepted:
 *
 * <ul>
 *   <li>libpq's URI form, {@code postgres[ql]://[user[:password]@][host][:port][,host[:port]...]
 *       [/dbname][?param=value&...]}, the form psql, sqlx and most twelve-factor settings use.
 *       User, password, host, database name and parameters are percent-decoded (UTF-8). An IPv6
 *       host is written in brackets ({@code [::1]}). The host defaults to {@value #DEFAULT_HOST},
 *       the port to {@value #DEFAULT_PORT}, the database to the user name as in libpq, else {@value
 *       #DEFAULT_DATABASE}. Several comma-separated hosts become pgjdbc's multi-host URL (failover,
 *       steered by {@code target_session_attrs}). Unix-domain sockets are refused: the driver
 *       connects over TCP only. Query parameters become driver properties; the libpq names that
 *       pgjdbc spells differently are translated (see {@link #parse(String)}).
 *   <li>pgjdbc's own {@code jdbc:postgresql:...} form, passed to the driver as it is, except that
 *       {@code user}, {@code password} and {@code sslpassword} parameters are moved out of the URL
 *       into the properties.
 * </ul>
 *
 * <p>Anything malformed is a {@link SessionServiceException.Kind#CONFIGURATION} error whose message
 * says what is wrong and shows the URL only in its {@link DatabaseUrls#redact(String) redacted}
 * form; a message never quotes a parsed user, password, host or port on its own, because on a
 * malformed URL the parser cannot be sure which part was meant as the password.
 *
 * <p>Immutable and thread-safe.
 */
public final class PgUrl extends DriverUrl {

  /** The host used when a URL names none, as libpq does for TCP. */
  public static final String DEFAULT_HOST = "localhost";

  /** PostgreSQL's port unless a URL names another. */
  public static final int DEFAULT_PORT = 5432;

  /** The database used when a URL names neither a database nor a user. */
  public static final String DEFAULT_DATABASE = "postgres";

  /** What a good URL looks like, for error messages. */
  static final String EXPECTED =
      "Expected postgres://user:password@host:port/dbname?param=value, with special characters"
          + " in the user, password or database name percent-encoded (@ as %40, : as %3A).";

  private static final String JDBC_PREFIX = "jdbc:postgresql:";
  private static final List<String> URI_PREFIXES = List.of("postgresql://", "postgres://");

  /** The driver properties moved out of a {@code jdbc:postgresql:} URL: they hold credentials. */
  private static final Set<String> CREDENTIAL_PARAMETERS =
      Set.of("user", "password", "sslpassword");

  private PgUrl(String jdbcUrl, Properties properties, String redactedUrl) {
    super(jdbcUrl, properties, redactedUrl);
  }

  /**
   * Parses a PostgreSQL URL.
   *
   * <p>The libpq form is split by {@link ServerUrl}; its query parameters are translated by {@link
   * LibpqParameters}: {@code application_name} to {@code ApplicationName}, {@code connect_timeout}
   * (seconds) to {@code connectTimeout}, {@code keepalives} ({@code 1}/{@code 0}) to {@code
   * tcpKeepAlive}, and {@code target_session_attrs} to {@code targetServerType} ({@code any},
   * {@code read-write}/{@code primary}, {@code read-only}/{@code standby}, {@code prefer-standby}).
   * {@code user}, {@code password} and {@code dbname} override the URL's own. {@code host}, {@code
   * hostaddr} and {@code port} are refused (put them in the host part), and so are the parameters
   * that load classes or write files. Every other parameter, {@code sslmode}, {@code sslrootcert},
   * {@code sslcert}, {@code sslkey}, {@code options} and {@code currentSchema} included, is passed
   * to the driver under its own name; its name must match {@code [A-Za-z_][A-Za-z0-9_]*}. Values
   * only ever go into properties, never back into the URL.
   *
   * @param url a {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql:} URL
   * @return the parsed URL
   * @throws SessionServiceException of kind CONFIGURATION when the URL is malformed
   */
  public static PgUrl parse(String url) {
    UrlProblems problems = UrlProblems.of("PostgreSQL", url, EXPECTED);
    String trimmed = problems.url();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith(JDBC_PREFIX)) {
      return parseJdbc(JDBC_PREFIX + trimmed.substring(JDBC_PREFIX.length()), problems);
    }
    for (String prefix : URI_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return parseUri(trimmed.substring(prefix.length()), problems);
      }
    }
    if (lower.startsWith("postgres:") || lower.startsWith("postgresql:")) {
      throw problems.invalid("the scheme must be followed by // and the host");
    }
    throw problems.invalid(
        "it is not a PostgreSQL URL (the scheme must be postgres://, postgresql:// or"
            + " jdbc:postgresql://)");
  }

  // ---------------------------------------------------------------- libpq URI form

  private static PgUrl parseUri(String rest, UrlProblems problems) {
    if (rest.isEmpty()) {
      throw problems.invalid("nothing follows the scheme; at least a host or a / is needed");
    }
    ServerUrl url = ServerUrl.parse(rest, DEFAULT_PORT, problems);
    List<String> hosts = new ArrayList<>();
    for (ServerUrl.Host host : url.hosts()) {
      // libpq's default for a URL without a host, over TCP
      hosts.add(
          host.name().isEmpty()
              ? new ServerUrl.Host(DEFAULT_HOST, host.port()).toString()
              : host.toString());
    }
    LibpqParameters translated = LibpqParameters.translate(url, problems);
    Properties properties = translated.properties();
    translated.user().filter(u -> !u.isEmpty()).ifPresent(u -> properties.setProperty("user", u));
    translated
        .password()
        .filter(p -> !p.isEmpty())
        .ifPresent(p -> properties.setProperty("password", p));
    // libpq's default: the database named like the user
    String database =
        translated
            .database()
            .filter(d -> !d.isEmpty())
            .orElse(translated.user().filter(u -> !u.isEmpty()).orElse(DEFAULT_DATABASE));

    // pgjdbc URL-decodes the path with URLDecoder, so URLEncoder is its exact inverse ('+' and
    // '/' included); the database name cannot change the URL's structure.
    String jdbcUrl =
        "jdbc:postgresql://"
            + String.join(",", hosts)
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8);
    Properties parsed = Driver.parseURL(jdbcUrl, null);
    if (parsed == null || !database.equals(parsed.getProperty("PGDBNAME"))) {
      // every part was checked above, so this is a bug here, not a user error
      throw problems.invalid("the PostgreSQL driver does not accept the URL built from it");
    }
    return new PgUrl(jdbcUrl, properties, problems.shownUrl());
  }

  // ---------------------------------------------------------------- jdbc:postgresql: form

  private static PgUrl parseJdbc(String url, UrlProblems problems) {
    int question = url.indexOf('?');
    String base = question >= 0 ? url.substring(0, question) : url;
    String afterPrefix = base.substring(JDBC_PREFIX.length());
    if (afterPrefix.startsWith("//")) {
      int pathStart = afterPrefix.indexOf('/', 2);
      String authority =
          afterPrefix.substring(2, pathStart >= 0 ? pathStart : afterPrefix.length());
      // checked here because pgjdbc would log the "port" after the ':' (the password) as invalid
      if (authority.indexOf('@') >= 0) {
        throw problems.invalid(
            "a jdbc:postgresql: URL cannot hold user:password@; use ?user=...&password=... or a"
                + " postgres://user:password@host/dbname URL");
      }
    }

    Properties properties = new Properties();
    List<String> kept = new ArrayList<>();
    if (question >= 0) {
      for (String token : url.substring(question + 1).split("&")) {
        int equals = token.indexOf('=');
        String name = equals >= 0 ? token.substring(0, equals) : token;
        PgUnsafeParameters.refuse(name, problems);
        if (CREDENTIAL_PARAMETERS.contains(name)) {
          String value = equals >= 0 ? token.substring(equals + 1) : "";
          try {
            // the decoding pgjdbc applies to URL parameters, '+' as space included
            properties.setProperty(name, URLDecoder.decode(value, StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw problems.invalid(
                "the "
                    + name
                    + " parameter has a bad percent-escape (% must be followed by two hex"
                    + " digits)");
          }
        } else if (!token.isEmpty()) {
          kept.add(token);
        }
      }
    }
    String jdbcUrl = kept.isEmpty() ? base : base + "?" + String.join("&", kept);
    if (Driver.parseURL(jdbcUrl, null) == null) {
      throw problems.invalid(
          "the PostgreSQL JDBC driver does not accept it; expected"
              + " jdbc:postgresql://host:port/dbname?param=value with a port from 1 to "
              + ServerUrl.MAX_PORT);
    }
    return new PgUrl(jdbcUrl, properties, problems.shownUrl());
  }
}

package app.getbodhi.session.postgres.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.DatabaseUrls;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * A PostgreSQL URL split into what the JDBC driver needs: a {@code jdbc:postgresql://} URL that
 * holds no credentials, and driver properties that hold the rest. The password only ever sits in
 * {@link #properties()}, so neither HikariCP nor Flyway, which log the JDBC URL, can print it.
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
public final class PgUrl {

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
  private static final int MAX_PORT = 65_535;

  /** Driver property names, and query parameter names: what pgjdbc and libpq use. */
  private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** A host name or IPv4 address; anything else would need escaping in the JDBC URL. */
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  /** An IPv6 address, without a zone id (pgjdbc cannot take one). */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");

  /** The sslmode values libpq and pgjdbc share. */
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** libpq's {@code target_session_attrs} values, as pgjdbc's {@code targetServerType}. */
  private static final Map<String, String> TARGET_SERVER_TYPES =
      Map.of(
          "any", "any",
          "read-write", "primary",
          "primary", "primary",
          "read-only", "secondary",
          "standby", "secondary",
          "prefer-standby", "preferSecondary");

  /**
   * Driver parameters a session URL may not set, lower case: each makes pgjdbc load a class named
   * in the URL, or turns off a safeguard (sslfactory=...NonValidatingFactory skips certificate
   * checks), or writes files. Whoever can set the URL would gain that power; an application that
   * needs one builds its own DataSource and uses {@code new PgSessionStore(dataSource)}.
   */
  private static final Set<String> UNSAFE_PARAMETERS =
      Set.of(
          "socketfactory",
          "socketfactoryarg",
          "sslfactory",
          "sslfactoryarg",
          "sslhostnameverifier",
          "sslpasswordcallback",
          "authenticationpluginclassname",
          "xmlfactoryfactory",
          "loggerfile",
          "loggerlevel");

  /** The driver properties moved out of a {@code jdbc:postgresql:} URL: they hold credentials. */
  private static final Set<String> CREDENTIAL_PARAMETERS =
      Set.of("user", "password", "sslpassword");

  private final String jdbcUrl;
  private final Properties properties;
  private final String redactedUrl;

  private PgUrl(String jdbcUrl, Properties properties, String redactedUrl) {
    this.jdbcUrl = jdbcUrl;
    this.properties = properties;
    this.redactedUrl = redactedUrl;
  }

  /**
   * Parses a PostgreSQL URL.
   *
   * <p>libpq query parameters that pgjdbc spells differently are translated: {@code
   * application_name} to {@code ApplicationName}, {@code connect_timeout} (seconds) to {@code
   * connectTimeout}, {@code keepalives} ({@code 1}/{@code 0}) to {@code tcpKeepAlive}, and {@code
   * target_session_attrs} to {@code targetServerType} ({@code any}, {@code read-write}/{@code
   * primary}, {@code read-only}/{@code standby}, {@code prefer-standby}). {@code user}, {@code
   * password} and {@code dbname} override the URL's own. {@code host}, {@code hostaddr} and {@code
   * port} are refused (put them in the host part). Every other parameter, {@code sslmode}, {@code
   * sslrootcert}, {@code sslcert}, {@code sslkey}, {@code options} and {@code currentSchema}
   * included, is passed to the driver under its own name; its name must match {@code
   * [A-Za-z_][A-Za-z0-9_]*}. Values only ever go into properties, never back into the URL.
   *
   * @param url a {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql:} URL
   * @return the parsed URL
   * @throws SessionServiceException of kind CONFIGURATION when the URL is malformed
   */
  public static PgUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "The PostgreSQL session URL is empty. " + EXPECTED);
    }
    String trimmed = url.strip();
    Problems problems = new Problems(trimmed);
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        throw problems.invalid(
            "it contains a space or control character at index "
                + i
                + "; percent-encode it (a space is %20)");
      }
    }
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

  /**
   * Returns the URL to hand to the driver: no user, no password, no query parameters from a libpq
   * URL.
   *
   * @return a {@code jdbc:postgresql:} URL
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Returns the driver properties, credentials included. The caller gets a copy it may change.
   *
   * @return pgjdbc property names to values
   */
  public Properties properties() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }

  /**
   * Returns the user name, when the URL names one.
   *
   * @return the user
   */
  public Optional<String> user() {
    return Optional.ofNullable(properties.getProperty("user"));
  }

  /**
   * Returns the URL as given, with its password hidden, for messages and logs.
   *
   * @return the redacted URL
   */
  public String redactedUrl() {
    return redactedUrl;
  }

  /** Shows the JDBC URL and the property names, with every password-like value hidden. */
  @Override
  public String toString() {
    StringJoiner shown = new StringJoiner(", ", "{", "}");
    for (String name : new TreeSet<>(properties.stringPropertyNames())) {
      boolean secret = name.toLowerCase(Locale.ROOT).contains("password");
      shown.add(name + "=" + (secret ? DatabaseUrls.MASK : properties.getProperty(name)));
    }
    return "PgUrl[" + jdbcUrl + ", " + shown + "]";
  }

  // ---------------------------------------------------------------- libpq URI form

  private static PgUrl parseUri(String rest, Problems problems) {
    if (rest.isEmpty()) {
      throw problems.invalid("nothing follows the scheme; at least a host or a / is needed");
    }
    // The user info ends at the last '@' before the path. Looking for the last '@' (libpq takes
    // the first) also accepts a raw '@' in a password. Without a path, a '?' ends the search, so
    // an '@' inside a query value is not taken for one.
    int slash = rest.indexOf('/');
    int question = rest.indexOf('?');
    int userInfoSearchEnd = slash >= 0 ? slash : (question >= 0 ? question : rest.length());
    int at = userInfoSearchEnd == 0 ? -1 : rest.lastIndexOf('@', userInfoSearchEnd - 1);

    String user = null;
    String password = null;
    int hostStart = 0;
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      int colon = userInfo.indexOf(':');
      user = problems.decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, "the user name");
      if (colon >= 0) {
        password = problems.decode(userInfo.substring(colon + 1), "the password");
      }
      hostStart = at + 1;
    }

    int hostEnd = hostStart;
    while (hostEnd < rest.length() && rest.charAt(hostEnd) != '/' && rest.charAt(hostEnd) != '?') {
      hostEnd++;
    }
    List<String> hosts = parseHosts(rest.substring(hostStart, hostEnd), problems);

    String database = null;
    int queryStart = -1;
    if (hostEnd < rest.length() && rest.charAt(hostEnd) == '/') {
      int q = rest.indexOf('?', hostEnd);
      String path = rest.substring(hostEnd + 1, q >= 0 ? q : rest.length());
      database = problems.decode(path, "the database name");
      queryStart = q;
    } else if (hostEnd < rest.length()) {
      queryStart = hostEnd;
    }

    Properties properties = new Properties();
    if (queryStart >= 0) {
      for (Map.Entry<String, String> parameter :
          parseQuery(rest.substring(queryStart + 1), problems).entrySet()) {
        String name = parameter.getKey();
        String value = parameter.getValue();
        refuseUnsafe(name, problems);
        switch (name) {
          case "user" -> user = value;
          case "password" -> password = value;
          case "dbname" -> database = value;
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
    }

    if (user != null && !user.isEmpty()) {
      properties.setProperty("user", user);
    }
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    if (database == null || database.isEmpty()) {
      // libpq's default: the database named like the user
      database = user != null && !user.isEmpty() ? user : DEFAULT_DATABASE;
    }

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
    return new PgUrl(jdbcUrl, properties, problems.shownUrl);
  }

  /** Parses {@code host[:port][,host[:port]...]} into {@code host:port} entries for pgjdbc. */
  private static List<String> parseHosts(String hostList, Problems problems) {
    if (hostList.isEmpty()) {
      return List.of(DEFAULT_HOST + ":" + DEFAULT_PORT);
    }
    String[] entries = hostList.split(",", -1);
    List<String> hosts = new ArrayList<>(entries.length);
    for (String entry : entries) {
      if (entry.isEmpty() && entries.length > 1) {
        throw problems.invalid("the host list has an empty entry (a stray comma)");
      }
      hosts.add(parseHost(entry, problems));
    }
    return hosts;
  }

  private static String parseHost(String entry, Problems problems) {
    String host;
    String port = null;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw problems.invalid("an IPv6 address opened with [ has no closing ]");
      }
      String address = entry.substring(1, close);
      if (!IPV6.matcher(address).matches()) {
        throw problems.invalid(
            "the brackets in the host part must hold an IPv6 address such as [::1], without a"
                + " zone id");
      }
      host = "[" + address + "]";
      String after = entry.substring(close + 1);
      if (!after.isEmpty()) {
        if (after.charAt(0) != ':') {
          throw problems.invalid("only :port may follow an IPv6 address in brackets");
        }
        port = after.substring(1);
      }
    } else {
      if (entry.indexOf('[') >= 0 || entry.indexOf(']') >= 0) {
        throw problems.invalid("a bracket in the host part must enclose a whole IPv6 address");
      }
      int colon = entry.indexOf(':');
      if (colon >= 0 && entry.indexOf(':', colon + 1) >= 0) {
        throw problems.invalid("an IPv6 address must be written in brackets, such as [::1]");
      }
      host = problems.decode(colon >= 0 ? entry.substring(0, colon) : entry, "the host");
      if (colon >= 0) {
        port = entry.substring(colon + 1);
      }
      if (host.isEmpty()) {
        host = DEFAULT_HOST;
      } else if (host.startsWith("/")) {
        throw problems.invalid(
            "the host names a Unix-domain socket directory, but the PostgreSQL JDBC driver"
                + " connects over TCP only; give a host name or address");
      } else if (!HOST_NAME.matcher(host).matches()) {
        throw problems.invalid(
            "the host must be a host name or IP address (letters, digits, '.', '-' and '_')");
      }
    }
    return host + ":" + parsePort(port, problems);
  }

  private static int parsePort(String port, Problems problems) {
    if (port == null) {
      return DEFAULT_PORT;
    }
    if (port.isEmpty()) {
      throw problems.invalid("a ':' after the host must be followed by a port number");
    }
    if (!DIGITS.matcher(port).matches() || Integer.parseInt(port) < 1) {
      throw problems.invalid("the port must be a number from 1 to " + MAX_PORT);
    }
    int value = Integer.parseInt(port);
    if (value > MAX_PORT) {
      throw problems.invalid("the port must be a number from 1 to " + MAX_PORT);
    }
    return value;
  }

  /**
   * Splits {@code name=value&...}, percent-decoding both sides. Like libpq, a stray {@code &} or a
   * parameter without {@code =} is an error; a repeated parameter keeps its last value.
   */
  private static Map<String, String> parseQuery(String query, Problems problems) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        throw problems.invalid("the query has an empty parameter (a stray '&')");
      }
      int equals = pair.indexOf('=');
      String rawName = equals >= 0 ? pair.substring(0, equals) : pair;
      String name = problems.decode(rawName, "a query parameter name");
      if (name.isEmpty()) {
        throw problems.invalid("a query parameter has no name before its '='");
      }
      if (!PARAMETER_NAME.matcher(name).matches()) {
        throw problems.invalid(
            "a query parameter name must be letters, digits and '_', not starting with a digit");
      }
      if (equals < 0) {
        throw problems.invalid("the query parameter " + name + " has no '=value'");
      }
      parameters.put(name, problems.decode(pair.substring(equals + 1), "the value of " + name));
    }
    return parameters;
  }

  private static void refuseUnsafe(String name, Problems problems) {
    String normalized;
    try {
      normalized = URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      normalized = name.toLowerCase(Locale.ROOT);
    }
    if (UNSAFE_PARAMETERS.contains(normalized)) {
      throw problems.invalid(
          "the driver parameter "
              + normalized
              + " is not allowed in a session URL: it makes the driver load a class, skip a"
              + " check or write a file. Build a DataSource and use new PgSessionStore(dataSource)"
              + " if you need it");
    }
  }

  // ---------------------------------------------------------------- jdbc:postgresql: form

  private static PgUrl parseJdbc(String url, Problems problems) {
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
        refuseUnsafe(name, problems);
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
              + MAX_PORT);
    }
    return new PgUrl(jdbcUrl, properties, problems.shownUrl);
  }

  // ---------------------------------------------------------------- errors and decoding

  /** An ASCII hex digit's value, or -1; Character.digit would also take other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Builds the errors for one URL, each showing the URL redacted. */
  private static final class Problems {
    private static final int MAX_SHOWN_CHARS = 300;

    final String shownUrl;

    Problems(String url) {
      this.shownUrl = show(url);
    }

    /** Redacts, then escapes control characters and bounds the length, for a one-line message. */
    private static String show(String url) {
      String redacted = DatabaseUrls.redact(url);
      StringBuilder shown = new StringBuilder(redacted.length());
      for (int i = 0; i < redacted.length(); i++) {
        char c = redacted.charAt(i);
        if (Character.isISOControl(c) || (Character.isWhitespace(c) && c != ' ')) {
          shown.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        } else {
          shown.append(c);
        }
      }
      return shown.length() > MAX_SHOWN_CHARS
          ? shown.substring(0, MAX_SHOWN_CHARS) + "…"
          : shown.toString();
    }

    SessionServiceException invalid(String problem) {
      return new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "The PostgreSQL session URL " + shownUrl + " is invalid: " + problem + ". " + EXPECTED);
    }

    /**
     * Percent-decodes one part as UTF-8. {@code what} names the part; the part itself never goes
     * into the message, since it may be the password.
     */
    String decode(String part, String what) {
      Objects.requireNonNull(part);
      if (part.indexOf('%') < 0) {
        return part;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
      int i = 0;
      while (i < part.length()) {
        char c = part.charAt(i);
        if (c == '%') {
          if (i + 2 >= part.length()) {
            throw invalid(
                what + " has a truncated percent-escape (% must be followed by two hex digits)");
          }
          int high = hexDigit(part.charAt(i + 1));
          int low = hexDigit(part.charAt(i + 2));
          if (high < 0 || low < 0) {
            throw invalid(
                what + " has a bad percent-escape (% must be followed by two hex digits)");
          }
          int value = (high << 4) | low;
          if (value == 0) {
            throw invalid(what + " contains %00, which PostgreSQL cannot take");
          }
          bytes.write(value);
          i += 3;
        } else {
          int end = part.indexOf('%', i);
          if (end < 0) {
            end = part.length();
          }
          bytes.writeBytes(part.substring(i, end).getBytes(StandardCharsets.UTF_8));
          i = end;
        }
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes.toByteArray()))
            .toString();
      } catch (CharacterCodingException e) {
        throw invalid(what + " is not valid UTF-8 once percent-decoded");
      }
    }
  }
}

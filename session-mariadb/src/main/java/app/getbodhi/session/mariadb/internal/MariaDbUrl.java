package app.getbodhi.session.mariadb.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.DatabaseUrls;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.mariadb.jdbc.Configuration;

/**
 * A MariaDB URL split into what MariaDB Connector/J needs: a {@code jdbc:mariadb://} URL that holds
 * no credentials, and driver properties that hold the rest. The password only ever sits in {@link
 * #properties()}, so neither HikariCP nor Flyway, which log the JDBC URL, can print it.
 *
 * <p>Two forms are accepted, parsed alike:
 *
 * <ul>
 *   <li>{@code mariadb://[user[:password]@]host[:port]/database[?param=value&...]}. User, password,
 *       database and parameter values are percent-decoded (UTF-8); an IPv6 host is written in
 *       brackets ({@code [::1]}); the port defaults to {@value #DEFAULT_PORT}; the database is
 *       required (a session store needs one to create its table in).
 *   <li>Connector/J's own {@code jdbc:mariadb://host[:port]/database?user=...&password=...}, with
 *       the same rules. A {@code user:password@} part is accepted here too, although the driver
 *       itself would refuse it (and quote the password in its error).
 * </ul>
 *
 * <p>One host only: Connector/J's failover and load-balancing forms ({@code jdbc:mariadb:
 * sequential://}, several hosts) are refused for now.
 *
 * <p><b>Driver parameters.</b> Unlike PostgreSQL's URL, which passes every parameter but a few
 * known-unsafe ones, this one takes only an allow-list, {@link #ALLOWED_PARAMETERS}: Connector/J
 * has well over a hundred options (case-insensitive), several of which break what the store relies
 * on or hand power to whoever sets the URL, and new ones arrive with every release. Among those
 * refused on purpose:
 *
 * <ul>
 *   <li>{@code allowLocalInfile} (on by default in Connector/J 3.x!) and {@code allowMultiQueries}:
 *       let a server read client files, or let one statement string carry several; the store needs
 *       neither, so both are forced off ({@link #FORCED_PROPERTIES}).
 *   <li>{@code socketFactory}, {@code tlsSocketType}, {@code credentialType}, {@code
 *       serverRsaPublicKeyFile}, {@code keyStore}...: load a class, read a file or call a cloud API
 *       named in the URL.
 *   <li>{@code trustServerCertificate}, {@code disableSslHostnameVerification}, {@code
 *       allowPublicKeyRetrieval}: turn off a check that protects the password.
 *   <li>{@code sessionVariables}, {@code initSql}, {@code useAffectedRows}, {@code
 *       jdbcCompliantTruncation}, {@code timezone}, {@code connectionTimeZone}, {@code
 *       preserveInstants}, {@code connectionCollation}, {@code useBulkStmts}...: change the SQL
 *       mode, time zone, collation or update counts the store's statements are written for; the
 *       store sets those itself.
 * </ul>
 *
 * <p>An application that needs any of them builds its own {@code DataSource}.
 *
 * <p>Anything malformed is a {@link SessionServiceException.Kind#CONFIGURATION} error whose message
 * says what is wrong and shows the URL only {@linkplain DatabaseUrls#redact(String) redacted}; a
 * message never quotes a parsed user, password or parameter value on its own.
 *
 * <p>Immutable and thread-safe.
 */
public final class MariaDbUrl {

  /** MariaDB's port unless a URL names another. */
  public static final int DEFAULT_PORT = 3306;

  /** What a good URL looks like, for error messages. */
  static final String EXPECTED =
      "Expected mariadb://user:password@host:port/database?param=value, with special characters"
          + " in the user, password or database name percent-encoded (@ as %40, : as %3A).";

  private static final String SCHEME = "mariadb://";
  private static final String JDBC_SCHEME = "jdbc:mariadb://";
  private static final int MAX_PORT = 65_535;

  /**
   * The driver parameters a URL may set, by their lower-case name (Connector/J matches option names
   * case-insensitively), to the driver's spelling:
   *
   * <ul>
   *   <li>{@code sslMode}: {@code disable}, {@code trust}, {@code verify-ca} or {@code
   *       verify-full}; {@code trust} encrypts without checking the certificate, as the operator
   *       asked; {@code sslmode} is the same in libpq's spelling;
   *   <li>{@code serverSslCert}: the server's certificate or CA (a path, a {@code classpath:}
   *       resource, or the PEM itself) for {@code verify-ca}/{@code verify-full};
   *   <li>{@code connectTimeout}, {@code socketTimeout}: milliseconds;
   *   <li>{@code tcpKeepAlive}: {@code true}/{@code false};
   *   <li>{@code enabledSslProtocolSuites}: such as {@code TLSv1.3}, to narrow the TLS versions;
   *   <li>{@code restrictedAuth}: the authentication plugins the client may use, such as {@code
   *       mysql_native_password,client_ed25519}; only narrows what a server can ask for.
   * </ul>
   */
  public static final Map<String, String> ALLOWED_PARAMETERS =
      Map.of(
          "sslmode", "sslMode",
          "serversslcert", "serverSslCert",
          "connecttimeout", "connectTimeout",
          "sockettimeout", "socketTimeout",
          "tcpkeepalive", "tcpKeepAlive",
          "enabledsslprotocolsuites", "enabledSslProtocolSuites",
          "restrictedauth", "restrictedAuth");

  /**
   * Driver properties every connection gets, whatever the URL says: the store never loads a local
   * file nor sends several statements in one string, so neither may a server or an injected string
   * make it.
   */
  public static final Map<String, String> FORCED_PROPERTIES =
      Map.of("allowLocalInfile", "false", "allowMultiQueries", "false");

  private static final Set<String> SSL_MODES =
      Set.of("disable", "trust", "verify-ca", "verify-full");

  /** A host name or IPv4 address; anything else would need escaping in the JDBC URL. */
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  /** An IPv6 address, without a zone id. */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

  /**
   * A database name that can stand in the JDBC URL as it is. Connector/J does not percent-decode
   * the URL's path, so any other name travels only in the {@code database} property.
   */
  private static final Pattern PLAIN_DATABASE = Pattern.compile("[A-Za-z0-9_$]+");

  /** MariaDB's limit for a database name, in characters. */
  private static final int MAX_DATABASE_LENGTH = 64;

  private final String jdbcUrl;
  private final Properties properties;
  private final String redactedUrl;
  private final String host;
  private final int port;
  private final String database;

  private MariaDbUrl(
      String jdbcUrl,
      Properties properties,
      String redactedUrl,
      String host,
      int port,
      String database) {
    this.jdbcUrl = jdbcUrl;
    this.properties = properties;
    this.redactedUrl = redactedUrl;
    this.host = host;
    this.port = port;
    this.database = database;
  }

  /**
   * Parses a MariaDB URL.
   *
   * @param url a {@code mariadb://} or {@code jdbc:mariadb://} URL
   * @return the parsed URL
   * @throws SessionServiceException of kind CONFIGURATION when the URL is malformed, names no
   *     database, or sets a driver parameter that is not in {@link #ALLOWED_PARAMETERS}
   */
  public static MariaDbUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "The MariaDB session URL is empty. " + EXPECTED);
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
    if (lower.startsWith(SCHEME)) {
      return parseRest(trimmed.substring(SCHEME.length()), problems);
    }
    if (lower.startsWith(JDBC_SCHEME)) {
      return parseRest(trimmed.substring(JDBC_SCHEME.length()), problems);
    }
    if (lower.startsWith("jdbc:mariadb:")) {
      throw problems.invalid(
          "Connector/J's failover and load-balancing URLs (jdbc:mariadb:sequential://...) are not"
              + " supported; name one host");
    }
    if (lower.startsWith("mariadb:") || lower.startsWith("jdbc:mariadb")) {
      throw problems.invalid("the scheme must be followed by // and the host");
    }
    throw problems.invalid(
        "it is not a MariaDB URL (the scheme must be mariadb:// or jdbc:mariadb://)");
  }

  private static MariaDbUrl parseRest(String rest, Problems problems) {
    // the user info ends at the last '@' before the path, so a raw '@' in a password is taken
    int slash = rest.indexOf('/');
    int question = rest.indexOf('?');
    if (question >= 0 && slash > question) {
      slash = -1; // a '/' inside the query
    }
    int authorityEnd = slash >= 0 ? slash : (question >= 0 ? question : rest.length());
    int at = authorityEnd == 0 ? -1 : rest.lastIndexOf('@', authorityEnd - 1);

    String user = null;
    String password = null;
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      int colon = userInfo.indexOf(':');
      user = problems.decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, "the user name");
      if (colon >= 0) {
        password = problems.decode(userInfo.substring(colon + 1), "the password");
      }
    }
    String hostPort = rest.substring(at + 1, authorityEnd);
    if (hostPort.indexOf(',') >= 0) {
      throw problems.invalid("only one host is supported, but the host part lists several");
    }
    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw problems.invalid("an IPv6 address opened with [ has no closing ]");
      }
      String address = hostPort.substring(1, close);
      if (!IPV6.matcher(address).matches()) {
        throw problems.invalid(
            "the brackets in the host part must hold an IPv6 address such as [::1], without a"
                + " zone id");
      }
      host = "[" + address + "]";
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (after.charAt(0) != ':') {
          throw problems.invalid("only :port may follow an IPv6 address in brackets");
        }
        portText = after.substring(1);
      }
    } else {
      if (hostPort.indexOf('[') >= 0 || hostPort.indexOf(']') >= 0) {
        throw problems.invalid("a bracket in the host part must enclose a whole IPv6 address");
      }
      int colon = hostPort.indexOf(':');
      if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
        throw problems.invalid("an IPv6 address must be written in brackets, such as [::1]");
      }
      host = problems.decode(colon >= 0 ? hostPort.substring(0, colon) : hostPort, "the host");
      if (colon >= 0) {
        portText = hostPort.substring(colon + 1);
      }
      if (host.isEmpty()) {
        throw problems.invalid("it names no host");
      }
      if (!HOST_NAME.matcher(host).matches()) {
        throw problems.invalid(
            "the host must be a host name or IP address (letters, digits, '.', '-' and '_')");
      }
    }
    int port = parsePort(portText, problems);

    String database = null;
    String query = null;
    if (slash >= 0) {
      int q = rest.indexOf('?', slash);
      database =
          problems.decode(
              rest.substring(slash + 1, q >= 0 ? q : rest.length()), "the database name");
      query = q >= 0 ? rest.substring(q + 1) : null;
    } else if (question >= 0) {
      query = rest.substring(question + 1);
    }

    Map<String, String> driverProperties = new TreeMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&", -1)) {
        if (pair.isEmpty()) {
          throw problems.invalid("the query has an empty parameter (a stray '&')");
        }
        int equals = pair.indexOf('=');
        String name =
            problems.decode(
                equals >= 0 ? pair.substring(0, equals) : pair, "a query parameter name");
        String key = name.toLowerCase(Locale.ROOT);
        if (equals < 0) {
          throw problems.invalid("the query parameter " + shownName(name) + " has no '=value'");
        }
        String value =
            problems.decode(pair.substring(equals + 1), "the value of " + shownName(name));
        switch (key) {
          case "user" -> user = value;
          case "password" -> password = value;
          case "database" -> database = value;
          default -> {
            String allowed = ALLOWED_PARAMETERS.get(key);
            if (allowed == null) {
              throw problems.invalid(
                  "the driver parameter "
                      + shownName(name)
                      + " is not allowed in a session URL, which takes only "
                      + new TreeSet<>(ALLOWED_PARAMETERS.values())
                      + " (others load classes or files, turn off a check, or change the SQL mode,"
                      + " time zone or update counts the store relies on); build a DataSource if"
                      + " you need it");
            }
            checkValue(allowed, value, problems);
            driverProperties.put(allowed, value);
          }
        }
      }
    }

    if (database == null || database.isEmpty()) {
      throw problems.invalid("it names no database; add /database after the host");
    }
    if (database.length() > MAX_DATABASE_LENGTH) {
      throw problems.invalid(
          "the database name is longer than MariaDB's " + MAX_DATABASE_LENGTH + " characters");
    }
    if (database.indexOf('\0') >= 0) {
      throw problems.invalid("the database name contains %00, which MariaDB cannot take");
    }

    Properties properties = new Properties();
    properties.putAll(driverProperties);
    properties.putAll(FORCED_PROPERTIES);
    if (user != null && !user.isEmpty()) {
      properties.setProperty("user", user);
    }
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    boolean plain = PLAIN_DATABASE.matcher(database).matches();
    if (!plain) {
      // Connector/J takes the URL's path as it is (no percent-decoding), the property exactly
      properties.setProperty("database", database);
    }
    String jdbcUrl = JDBC_SCHEME + host + ":" + port + "/" + (plain ? database : "");
    try {
      Configuration parsed = Configuration.parse(jdbcUrl, properties);
      if (parsed == null || !database.equals(parsed.database())) {
        throw problems.invalid("MariaDB Connector/J does not accept the URL built from it");
      }
    } catch (SQLException e) {
      // the built URL holds no credentials; every part was checked above, so this is a bug here
      throw problems.invalid("MariaDB Connector/J does not accept the URL built from it");
    }
    return new MariaDbUrl(jdbcUrl, properties, problems.shownUrl, host, port, database);
  }

  /** Shows a parameter name in a message: names are letters, anything else is not quoted. */
  private static String shownName(String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}") ? name : "(a name with other characters)";
  }

  private static void checkValue(String parameter, String value, Problems problems) {
    switch (parameter) {
      case "sslMode" -> {
        if (!SSL_MODES.contains(value.toLowerCase(Locale.ROOT))) {
          throw problems.invalid("sslMode must be one of " + new TreeSet<>(SSL_MODES));
        }
      }
      case "connectTimeout", "socketTimeout" -> {
        if (!DIGITS.matcher(value).matches()) {
          throw problems.invalid(parameter + " must be a whole number of milliseconds");
        }
      }
      case "tcpKeepAlive" -> {
        if (!value.equals("true") && !value.equals("false")) {
          throw problems.invalid("tcpKeepAlive must be true or false");
        }
      }
      default -> {
        if (value.isEmpty()) {
          throw problems.invalid(parameter + " has an empty value");
        }
      }
    }
  }

  private static int parsePort(String port, Problems problems) {
    if (port == null) {
      return DEFAULT_PORT;
    }
    if (port.isEmpty()) {
      throw problems.invalid("a ':' after the host must be followed by a port number");
    }
    if (!DIGITS.matcher(port).matches()
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > MAX_PORT) {
      throw problems.invalid("the port must be a number from 1 to " + MAX_PORT);
    }
    return Integer.parseInt(port);
  }

  /**
   * Returns the URL to hand to the driver: no user, no password, no parameters.
   *
   * @return a {@code jdbc:mariadb://host:port/database} URL; the database is missing from it when
   *     its name needs escaping, and then travels in the {@code database} property
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Returns the driver properties, credentials and {@link #FORCED_PROPERTIES} included. The caller
   * gets a copy it may change.
   *
   * @return Connector/J property names to values
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
   * Returns the host, an IPv6 address in brackets.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * Returns the port.
   *
   * @return the port, {@value #DEFAULT_PORT} unless the URL names another
   */
  public int port() {
    return port;
  }

  /**
   * Returns the database, decoded.
   *
   * @return the database name
   */
  public String database() {
    return database;
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
    return "MariaDbUrl[" + jdbcUrl + ", " + shown + "]";
  }

  /** An ASCII hex digit's value, or -1. */
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
          "The MariaDB session URL " + shownUrl + " is invalid: " + problem + ". " + EXPECTED);
    }

    /**
     * Percent-decodes one part as UTF-8. {@code what} names the part; the part itself never goes
     * into the message, since it may be the password.
     */
    String decode(String part, String what) {
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
          bytes.write((high << 4) | low);
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

package app.getbodhi.session.mariadb.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.DriverUrl;
import app.getbodhi.session.jooq.ServerUrl;
import app.getbodhi.session.jooq.UrlProblems;
import app.getbodhi.session.spi.DatabaseUrls;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.mariadb.jdbc.Configuration;

/**
 * A MariaDB URL split into what MariaDB Connector/J needs: a {@code
 * jdbc:mariadb://host:port/database} URL that holds no credentials, and driver properties that hold
 * the rest, {@link #FORCED_PROPERTIES} included. The password only ever sits in {@link
 * #properties()}, so neither HikariCP nor Flyway, which log the JDBC URL, can print it. A database
 * name that needs escaping is missing from the JDBC URL and travels in the {@code database}
 * property.
 *
 * <p>Two forms are accepted, parsed alike by {@link ServerUrl}:
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
public final class MariaDbUrl extends DriverUrl {

  /** MariaDB's port unless a URL names another. */
  public static final int DEFAULT_PORT = 3306;

  /** What a good URL looks like, for error messages. */
  static final String EXPECTED =
      "Expected mariadb://user:password@host:port/database?param=value, with special characters"
          + " in the user, password or database name percent-encoded (@ as %40, : as %3A).";

  private static final String SCHEME = "mariadb://";
  private static final String JDBC_SCHEME = "jdbc:mariadb://";

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

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

  /**
   * A database name that can stand in the JDBC URL as it is. Connector/J does not percent-decode
   * the URL's path, so any other name travels only in the {@code database} property.
   */
  private static final Pattern PLAIN_DATABASE = Pattern.compile("[A-Za-z0-9_$]+");

  /** MariaDB's limit for a database name, in characters. */
  private static final int MAX_DATABASE_LENGTH = 64;

  private final ServerUrl.Host server;
  private final String database;

  private MariaDbUrl(
      String jdbcUrl,
      Properties properties,
      String redactedUrl,
      ServerUrl.Host server,
      String database) {
    super(jdbcUrl, properties, redactedUrl);
    this.server = server;
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
    UrlProblems problems = UrlProblems.of("MariaDB", url, EXPECTED);
    String trimmed = problems.url();
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

  private static MariaDbUrl parseRest(String rest, UrlProblems problems) {
    ServerUrl url = ServerUrl.parse(rest, DEFAULT_PORT, problems);
    if (url.hosts().size() > 1) {
      throw problems.invalid("only one host is supported, but the host part lists several");
    }
    ServerUrl.Host host = url.hosts().get(0);
    if (host.name().isEmpty()) {
      throw problems.invalid("it names no host");
    }

    Optional<String> user = url.user();
    Optional<String> password = url.password();
    String database = url.database().orElse(null);
    Map<String, String> driverProperties = new TreeMap<>();
    for (ServerUrl.Parameter parameter : url.parameters()) {
      String name = parameter.name();
      String value = parameter.value();
      switch (name.toLowerCase(Locale.ROOT)) {
        case "user" -> user = Optional.of(value);
        case "password" -> password = Optional.of(value);
        case "database" -> database = value;
        default -> {
          String allowed = ALLOWED_PARAMETERS.get(name.toLowerCase(Locale.ROOT));
          if (allowed == null) {
            throw problems.invalid(
                "the driver parameter "
                    + name
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

    if (database == null || database.isEmpty()) {
      throw problems.invalid("it names no database; add /database after the host");
    }
    if (database.length() > MAX_DATABASE_LENGTH) {
      throw problems.invalid(
          "the database name is longer than MariaDB's " + MAX_DATABASE_LENGTH + " characters");
    }

    Properties properties = new Properties();
    properties.putAll(driverProperties);
    properties.putAll(FORCED_PROPERTIES);
    user.filter(u -> !u.isEmpty()).ifPresent(u -> properties.setProperty("user", u));
    password.filter(p -> !p.isEmpty()).ifPresent(p -> properties.setProperty("password", p));
    boolean plain = PLAIN_DATABASE.matcher(database).matches();
    if (!plain) {
      // Connector/J takes the URL's path as it is (no percent-decoding), the property exactly
      properties.setProperty("database", database);
    }
    String jdbcUrl = JDBC_SCHEME + host + "/" + (plain ? database : "");
    try {
      Configuration parsed = Configuration.parse(jdbcUrl, properties);
      if (parsed == null || !database.equals(parsed.database())) {
        throw problems.invalid("MariaDB Connector/J does not accept the URL built from it");
      }
    } catch (SQLException e) {
      // the built URL holds no credentials; every part was checked above, so this is a bug here
      throw problems.invalid("MariaDB Connector/J does not accept the URL built from it");
    }
    return new MariaDbUrl(jdbcUrl, properties, problems.shownUrl(), host, database);
  }

  private static void checkValue(String parameter, String value, UrlProblems problems) {
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

  /**
   * Returns the server: its host (an IPv6 address in brackets) and port, {@value #DEFAULT_PORT}
   * unless the URL names another.
   *
   * @return the server, written {@code host:port}
   */
  public ServerUrl.Host server() {
    return server;
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
   * Tells whether two URLs may reach the same sessions: the same database on the same server. Users
   * and parameters do not matter; host names are compared without case, and not looked up in DNS,
   * but {@code localhost} and the loopback addresses are taken as one host.
   *
   * @param other another parsed URL
   * @return whether both name the same database on the same server
   */
  public boolean sameStoreAs(MariaDbUrl other) {
    // database names are compared as MariaDB on Linux compares them by default: case-sensitive
    return database.equals(other.database)
        && server.port() == other.server.port()
        && hostKey(server.name()).equals(hostKey(other.server.name()));
  }

  private static String hostKey(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    boolean loopback =
        lower.equals("localhost") || lower.startsWith("127.") || lower.equals("[::1]");
    return loopback ? "localhost" : lower;
  }
}

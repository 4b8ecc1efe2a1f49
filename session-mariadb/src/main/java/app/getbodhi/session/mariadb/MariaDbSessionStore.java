package app.getbodhi.session.mariadb;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.ExpiryColumn;
import app.getbodhi.session.jooq.ServerPool;
import app.getbodhi.session.jooq.ServerSessionStore;
import app.getbodhi.session.jooq.SqlBackendProfile;
import app.getbodhi.session.mariadb.internal.MariaDbNamedLocks;
import app.getbodhi.session.mariadb.internal.MariaDbSessionSettings;
import app.getbodhi.session.mariadb.internal.MariaDbUrl;
import app.getbodhi.session.spi.SessionStoreConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.mariadb.jdbc.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB session store, for several application nodes that share sessions. Sessions live in
 * {@code bodhi_sessions} ({@code id VARCHAR(64)} in {@code ascii_bin}, {@code data LONGBLOB},
 * {@code expiry_date DATETIME(3)} in UTC, {@code user_id TEXT} in {@code utf8mb4_nopad_bin}) of the
 * URL's database, an InnoDB table.
 *
 * <p>Open one from a URL with {@link #connect(String)}, which builds and owns a HikariCP pool, or
 * wrap a {@link DataSource} you manage with {@link #MariaDbSessionStore(DataSource)}. Then call
 * {@link #migrate()} once at start-up; several nodes may do so at the same moment.
 *
 * <pre>{@code
 * try (MariaDbSessionStore store =
 *     MariaDbSessionStore.connect("mariadb://bodhi:secret@db:3306/bodhi")) {
 *   store.migrate();
 *   store.save(record);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MariaDbSessionStore extends ServerSessionStore {

  /** What {@link #backendName()} returns, and the provider's name. */
  public static final String BACKEND_NAME = "mariadb";

  /** Where the Flyway scripts live: under this module's package, never {@code db/migration}. */
  public static final String MIGRATION_LOCATION =
      "classpath:app/getbodhi/session/mariadb/migration";

  /**
   * How this backend stores {@code expiry_date}: {@code DATETIME(3)} holding UTC. For code that
   * reads or writes the column beside the store, such as a benchmark baseline.
   */
  public static final ExpiryColumn EXPIRY_COLUMN = ExpiryColumn.UTC_DATETIME;

  /**
   * What MariaDB does differently from the other SQL backends, each choice proven on a server by
   * {@code MariaDbDialectFactsTest} and the store contract:
   *
   * <ul>
   *   <li>{@link ExpiryColumn#UTC_DATETIME}: {@code DATETIME(3)} reaches the never-expiring
   *       9999-12-31 ({@code TIMESTAMP} ends in 2038) and is never converted by a time zone;
   *   <li>{@code SELECT ... FOR UPDATE}: InnoDB has row locks;
   *   <li>{@code INSERT ... ON DUPLICATE KEY UPDATE id = id}, counted with {@code
   *       useAffectedRows=true}: not {@code INSERT IGNORE}, which also turns a value the column
   *       cannot hold into a warning and stores it truncated, even in strict mode;
   *   <li>{@code DELETE ... WHERE expired LIMIT n}: MariaDB refuses a {@code LIMIT} in an {@code
   *       IN} sub-select, and a sub-select of the table being deleted from;
   *   <li>bulk deletes at REPEATABLE READ, retried: a delete that waited on a row a rotation moved
   *       either deadlocks with the rotation (1213, whose SQLState is {@code 40001}) or, with
   *       {@code innodb_snapshot_isolation} on (the default from 11.8), fails with 1020 ("record
   *       has changed since last read"); either way the retry's fresh snapshot sees the rotated
   *       row. 1205, a lock wait timeout, is retried too;
   *   <li>named locks ({@code GET_LOCK}) between nodes, freed when a node's connection ends.
   * </ul>
   */
  public static final SqlBackendProfile PROFILE =
      new SqlBackendProfile(
          BACKEND_NAME,
          SQLDialect.MARIADB,
          EXPIRY_COLUMN,
          MIGRATION_LOCATION,
          SqlBackendProfile.RowLock.SELECT_FOR_UPDATE,
          SqlBackendProfile.InsertIfAbsent.ON_DUPLICATE_KEY_NO_OP,
          SqlBackendProfile.ExpiredDelete.DELETE_WITH_LIMIT,
          Optional.empty(),
          SqlBackendProfile.BulkDelete.snapshot("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"),
          Optional.of(new MariaDbNamedLocks()),
          // serialization failure or deadlock; deadlock, lock wait timeout, record changed
          new SqlBackendProfile.RetryableErrors(Set.of("40001"), Set.of(1213, 1205, 1020)));

  /** The name of the pools {@link #connect} opens, as seen in HikariCP's logs. */
  public static final String POOL_NAME = "bodhi-sessions-mariadb";

  /**
   * How the pools of {@link #connect} and {@link #dataSource} connect. They close a connection
   * instead of lending it again after error 1290, what a server running with {@code read_only} (a
   * replica, or a primary demoted by a failover) answers to every write.
   */
  private static final ServerPool.Backend SERVER =
      new ServerPool.Backend(
          POOL_NAME,
          "MariaDB",
          Driver.class.getName(),
          new SqlBackendProfile.RetryableErrors(Set.of(), Set.of(1290)));

  private static final Logger LOG = LoggerFactory.getLogger(MariaDbSessionStore.class);

  /**
   * Wraps a data source the caller owns, with default settings. {@link #close()} leaves it open.
   *
   * @param dataSource connections to the database, in auto-commit mode, with the settings of {@link
   *     #dataSource(String, SessionStoreConfig)}; {@link #migrate()} holds three at once
   */
  public MariaDbSessionStore(DataSource dataSource) {
    this(dataSource, SessionStoreConfig.defaults());
  }

  /**
   * Wraps a data source the caller owns. {@link #close()} leaves it open; the pool settings in
   * {@code config} are not used, since the data source has its own.
   *
   * <p>Its connections must have what the store's own connections have: the driver option {@code
   * useAffectedRows=true} (else {@code create} cannot tell a taken id from a new row), and a strict
   * {@code sql_mode} with {@code time_zone = '+00:00'}. {@link #dataSource(String,
   * SessionStoreConfig)} builds such a pool.
   *
   * @param dataSource connections to the database, in auto-commit mode; {@link #migrate()} holds
   *     three at once (the migration lock's and Flyway's two)
   * @param config clock, size limit and delete batch size
   */
  public MariaDbSessionStore(DataSource dataSource, SessionStoreConfig config) {
    super(dataSource, PROFILE, config);
  }

  private MariaDbSessionStore(
      ServerPool.Connections connections, String redactedUrl, SessionStoreConfig config) {
    super(connections, redactedUrl, PROFILE, config);
  }

  /**
   * Connects with default settings; see {@link #connect(String, SessionStoreConfig)}.
   *
   * @param url a {@code mariadb://} or {@code jdbc:mariadb://} URL
   * @return the store, owning its pool
   * @throws SessionServiceException of kind CONFIGURATION for a malformed URL, DATABASE when the
   *     server cannot be reached
   */
  public static MariaDbSessionStore connect(String url) {
    return connect(url, SessionStoreConfig.defaults());
  }

  /**
   * Connects over a HikariCP pool that the store owns and {@link #close()} closes. The pool opens
   * its first connection before this returns, so a server that is down, or a wrong password, fails
   * here, within about {@link SessionStoreConfig#connectionTimeout()}, rather than on the first
   * request.
   *
   * <p>The URL is {@code mariadb://user:password@host:port/database?sslMode=verify-full...}, with
   * only the parameters {@link MariaDbUrl#ALLOWED_PARAMETERS} lists; the password goes to the
   * driver as a property, never inside the JDBC URL, so no log line carries it. Every connection
   * gets the session settings of {@link MariaDbSessionSettings} (strict {@code sql_mode}, {@code
   * time_zone = '+00:00'}, {@code useAffectedRows=true}). Unless the URL says otherwise, the
   * driver's {@code connectTimeout} is the connection timeout, and the pooled connections' {@code
   * socketTimeout} is {@link SessionStoreConfig#queryTimeout()}.
   *
   * @param url a {@code mariadb://} or {@code jdbc:mariadb://} URL
   * @param config pool size, connection timeout, clock and limits
   * @return the store, owning its pool
   * @throws SessionServiceException of kind CONFIGURATION for a malformed URL, DATABASE when the
   *     server cannot be reached or refuses the login
   */
  public static MariaDbSessionStore connect(String url, SessionStoreConfig config) {
    Objects.requireNonNull(config, "config");
    MariaDbUrl parsed = MariaDbUrl.parse(url);
    MariaDbSessionStore store =
        ServerPool.connect(
            target(parsed, config),
            config,
            connections -> new MariaDbSessionStore(connections, parsed.redactedUrl(), config));
    LOG.debug("Opened the MariaDB session store {}", store);
    return store;
  }

  /**
   * Opens the connection pool {@link #connect(String, SessionStoreConfig)} would run on, for code
   * that needs plain JDBC on the same database set up the same way (session settings, driver
   * timeouts, pool size, connections to a server that became read-only dropped): a test's own
   * connections, a benchmark's baseline, or {@link #MariaDbSessionStore(DataSource,
   * SessionStoreConfig)}. The caller owns the pool and closes it.
   *
   * @param url a {@code mariadb://} or {@code jdbc:mariadb://} URL
   * @param config pool size, connection and query timeouts, pool metrics
   * @return the pool, with its first connection open
   * @throws SessionServiceException of kind CONFIGURATION for a malformed URL, DATABASE when the
   *     server cannot be reached or refuses the login
   */
  public static HikariDataSource dataSource(String url, SessionStoreConfig config) {
    Objects.requireNonNull(config, "config");
    return ServerPool.open(target(MariaDbUrl.parse(url), config), config);
  }

  /** The driver, URL and properties of every connection the store opens, pooled or not. */
  private static ServerPool.Target target(MariaDbUrl parsed, SessionStoreConfig config) {
    Properties driverProperties = parsed.properties();
    // not left to the URL (which cannot name them anyway): the statements rely on them
    driverProperties.putAll(MariaDbSessionSettings.driverProperties());
    // milliseconds, the driver's unit; at least 1, since 0 would mean "wait forever"
    driverProperties.putIfAbsent(
        "connectTimeout", Long.toString(Math.max(1, config.connectionTimeout().toMillis())));
    return SERVER.target(
        parsed,
        driverProperties,
        Map.of("socketTimeout", Long.toString(Math.max(1, config.queryTimeout().toMillis()))));
  }

  /**
   * {@inheritDoc}
   *
   * <p>InnoDB keeps the old version of every updated row, with its plaintext data and the session
   * id in its key, in its undo logs until purge has run, and the freed pages in the table's file
   * until it is rebuilt; the binary log and any backup hold them too: only the operator can deal
   * with those.
   */
  @Override
  protected List<String> afterSealing(long sealedRows) {
    return List.of(
        "InnoDB keeps the "
            + sealedRows
            + " old, unsealed row versions (plaintext data, session ids in the primary key) in"
            + " its undo logs until purge runs, and their pages in the table's file: run"
            + " `OPTIMIZE TABLE bodhi_sessions;` now to rebuild the table (seconds for most"
            + " session tables; writes to it wait meanwhile).",
        "Binary logs, replicas' relay logs and backups made before this migration still hold the"
            + " plaintext sessions: let them age out (binlog_expire_logs_seconds), or purge them"
            + " (PURGE BINARY LOGS) and delete the backups.");
  }
}

package app.getbodhi.session.postgres;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.ExpiryColumn;
import app.getbodhi.session.jooq.ServerPool;
import app.getbodhi.session.jooq.ServerSessionStore;
import app.getbodhi.session.jooq.SqlBackendProfile;
import app.getbodhi.session.postgres.internal.PgAdvisoryLocks;
import app.getbodhi.session.postgres.internal.PgUrl;
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
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL session store, for several application nodes that share sessions. Sessions live in
 * {@code bodhi_sessions} ({@code id TEXT}, {@code data BYTEA} of UTF-8 JSON, {@code expiry_date
 * TIMESTAMPTZ}, {@code user_id TEXT}) in the connection's current schema.
 *
 * <p>Open one from a URL with {@link #connect(String)}, which builds and owns a HikariCP pool, or
 * wrap a {@link DataSource} you manage with {@link #PgSessionStore(DataSource)}. Then call {@link
 * #migrate()} once at start-up; several nodes may do so at the same moment.
 *
 * <pre>{@code
 * try (PgSessionStore store = PgSessionStore.connect("postgres://bodhi:secret@db:5432/bodhi")) {
 *   store.migrate();
 *   store.save(record);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PgSessionStore extends ServerSessionStore {

  /** What {@link #backendName()} returns, and the provider's name. */
  public static final String BACKEND_NAME = "postgres";

  /** Where the Flyway scripts live: under this module's package, never {@code db/migration}. */
  public static final String MIGRATION_LOCATION =
      "classpath:app/getbodhi/session/postgres/migration";

  /**
   * The key of the session-level advisory lock {@link #migrate()} holds while it migrates: the
   * ASCII bytes of {@code "bodhi_se"}. Advisory locks are per database, so migrations into
   * different schemas of one database also take turns, which is harmless.
   */
  public static final long MIGRATION_LOCK_KEY = 0x626F_6468_695F_7365L;

  /**
   * The key of the session-level advisory lock {@link #deleteExpired()} holds while it cleans: the
   * ASCII bytes of {@code "bodhi_cl"}. One node cleans at a time; the others skip their round.
   */
  public static final long CLEANUP_LOCK_KEY = 0x626F_6468_695F_636CL;

  /**
   * How this backend stores {@code expiry_date}: {@code TIMESTAMPTZ}. For code that reads or writes
   * the column beside the store, such as a benchmark baseline.
   */
  public static final ExpiryColumn EXPIRY_COLUMN = ExpiryColumn.TIMESTAMP_WITH_TIME_ZONE;

  /**
   * What PostgreSQL does differently from the other SQL backends: {@code TIMESTAMPTZ} instants,
   * {@code SELECT ... FOR UPDATE}, {@code ON CONFLICT DO NOTHING}, bulk deletes at REPEATABLE READ
   * retried on a serialization failure (a delete that waited on a row a rotation moved would
   * otherwise skip the successor), and session-level advisory locks between nodes.
   */
  public static final SqlBackendProfile PROFILE =
      new SqlBackendProfile(
          BACKEND_NAME,
          SQLDialect.POSTGRES,
          EXPIRY_COLUMN,
          MIGRATION_LOCATION,
          SqlBackendProfile.RowLock.SELECT_FOR_UPDATE,
          SqlBackendProfile.InsertIfAbsent.ON_CONFLICT_DO_NOTHING,
          SqlBackendProfile.ExpiredDelete.KEYS_FROM_SUBSELECT,
          Optional.empty(),
          SqlBackendProfile.BulkDelete.snapshot("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"),
          Optional.of(new PgAdvisoryLocks()),
          // serialization failure, deadlock
          new SqlBackendProfile.RetryableErrors(Set.of("40001", "40P01"), Set.of()));

  /** The name of the pools {@link #connect} opens, as seen in HikariCP's logs. */
  public static final String POOL_NAME = "bodhi-sessions-postgres";

  /**
   * The {@code application_name} the server sees (in {@code pg_stat_activity}) unless the URL sets
   * one.
   */
  public static final String DEFAULT_APPLICATION_NAME = "bodhi-sessions";

  /**
   * How the pools of {@link #connect} and {@link #dataSource} connect. They close a connection
   * instead of lending it again after {@code 25006} (read_only_sql_transaction), what a server that
   * a failover turned into a standby answers to every write; a new connection from a multi-host URL
   * then finds the new primary.
   */
  private static final ServerPool.Backend SERVER =
      new ServerPool.Backend(
          POOL_NAME,
          "PostgreSQL",
          Driver.class.getName(),
          new SqlBackendProfile.RetryableErrors(Set.of("25006"), Set.of()));

  private static final Logger LOG = LoggerFactory.getLogger(PgSessionStore.class);

  /**
   * Wraps a data source the caller owns, with default settings. {@link #close()} leaves it open.
   *
   * @param dataSource connections to the database, in auto-commit mode; {@link #migrate()} holds
   *     three at once
   */
  public PgSessionStore(DataSource dataSource) {
    this(dataSource, SessionStoreConfig.defaults());
  }

  /**
   * Wraps a data source the caller owns. {@link #close()} leaves it open; the pool settings in
   * {@code config} are not used, since the data source has its own.
   *
   * @param dataSource connections to the database, in auto-commit mode; {@link #migrate()} holds
   *     three at once (the migration lock's and Flyway's two)
   * @param config clock, size limit and delete batch size
   */
  public PgSessionStore(DataSource dataSource, SessionStoreConfig config) {
    super(dataSource, PROFILE, config);
  }

  private PgSessionStore(ServerPool.Connections connections, SessionStoreConfig config) {
    // the JDBC URL holds no password: the driver gets it as a property
    super(connections, connections.pool().getJdbcUrl(), PROFILE, config);
  }

  /**
   * Connects with default settings; see {@link #connect(String, SessionStoreConfig)}.
   *
   * @param url a {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql:} URL
   * @return the store, owning its pool
   * @throws SessionServiceException of kind CONFIGURATION for a malformed URL, DATABASE when the
   *     server cannot be reached
   */
  public static PgSessionStore connect(String url) {
    return connect(url, SessionStoreConfig.defaults());
  }

  /**
   * Connects over a HikariCP pool that the store owns and {@link #close()} closes. The pool opens
   * its first connection before this returns, so a server that is down, or a wrong password, fails
   * here, within about {@link SessionStoreConfig#connectionTimeout()}, rather than on the first
   * request.
   *
   * <p>The URL is parsed as {@code libpq} does ({@code postgres://user:password@host:port/dbname
   * ?sslmode=require&currentSchema=sessions...}); the password goes to the driver as a property,
   * never inside the JDBC URL, so no log line carries it. Unless the URL says otherwise, the
   * driver's {@code connectTimeout} and {@code loginTimeout} are set to the connection timeout, its
   * {@code socketTimeout} to {@link SessionStoreConfig#queryTimeout()}, and {@code ApplicationName}
   * to {@value #DEFAULT_APPLICATION_NAME}.
   *
   * @param url a {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql:} URL
   * @param config pool size, connection timeout, clock and limits
   * @return the store, owning its pool
   * @throws SessionServiceException of kind CONFIGURATION for a malformed URL, DATABASE when the
   *     server cannot be reached or refuses the login
   */
  public static PgSessionStore connect(String url, SessionStoreConfig config) {
    Objects.requireNonNull(config, "config");
    PgSessionStore store =
        ServerPool.connect(
            target(PgUrl.parse(url), config),
            config,
            connections -> new PgSessionStore(connections, config));
    LOG.debug("Opened the PostgreSQL session store {}", store);
    return store;
  }

  /**
   * Opens the connection pool {@link #connect(String, SessionStoreConfig)} would run on, for code
   * that needs plain JDBC on the same database set up the same way (driver timeouts, {@code
   * ApplicationName}, no row values in error details, pool size, connections to a server that
   * became read-only dropped): a test's own connections, a benchmark's baseline, or {@link
   * #PgSessionStore(DataSource, SessionStoreConfig)}. The URL is parsed as {@code connect} parses
   * it, so the password reaches the driver only as a property. The caller owns the pool and closes
   * it.
   *
   * @param url a {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql:} URL
   * @param config pool size, connection and query timeouts, pool metrics
   * @return the pool, with its first connection open
   * @throws SessionServiceException of kind CONFIGURATION for a malformed URL, DATABASE when the
   *     server cannot be reached or refuses the login
   */
  public static HikariDataSource dataSource(String url, SessionStoreConfig config) {
    Objects.requireNonNull(config, "config");
    return ServerPool.open(target(PgUrl.parse(url), config), config);
  }

  /** The driver, URL and properties of every connection the store opens, pooled or not. */
  private static ServerPool.Target target(PgUrl parsed, SessionStoreConfig config) {
    Properties driverProperties = parsed.properties();
    // whole seconds, the driver's unit, rounded up; at least 1, since 0 would mean "wait forever"
    long timeoutSeconds = Math.max(1, (config.connectionTimeout().toMillis() + 999) / 1000);
    driverProperties.putIfAbsent("connectTimeout", Long.toString(timeoutSeconds));
    driverProperties.putIfAbsent("loginTimeout", Long.toString(timeoutSeconds));
    driverProperties.putIfAbsent("ApplicationName", DEFAULT_APPLICATION_NAME);
    // Server error details and failed batch entries quote row values (session ids and data) in
    // the driver's messages; this store's messages and logs must never carry them. Not left to
    // the URL: nothing else depends on them.
    driverProperties.put("logServerErrorDetail", "false");
    return SERVER.target(
        parsed,
        driverProperties,
        Map.of("socketTimeout", Long.toString(Math.max(1, config.queryTimeout().toSeconds()))));
  }

  /**
   * {@inheritDoc}
   *
   * <p>PostgreSQL keeps the old version of every updated row, with its plaintext data and the
   * session id in its key, in the table's and the index's files until they are vacuumed, and its
   * WAL and any backup hold them too: only the operator can deal with those.
   */
  @Override
  protected List<String> afterSealing(long sealedRows) {
    return List.of(
        "PostgreSQL keeps the "
            + sealedRows
            + " old, unsealed row versions (plaintext data, session ids in the index) on disk"
            + " until they are vacuumed: run `VACUUM FULL bodhi_sessions;` now (it locks the table"
            + " while it rewrites it, seconds for most session tables).",
        "Backups, replicas' WAL and archived WAL made before this migration still hold the"
            + " plaintext sessions: let them age out, or delete them.");
  }
}

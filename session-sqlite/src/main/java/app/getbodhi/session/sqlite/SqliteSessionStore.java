package app.getbodhi.session.sqlite;

import app.getbodhi.session.jooq.ExpiryColumn;
import app.getbodhi.session.jooq.JooqSessionStore;
import app.getbodhi.session.jooq.SqlBackendProfile;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.internal.SqlitePool;
import app.getbodhi.session.sqlite.internal.SqliteUrl;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.sqlite.SQLiteConnection;

/**
 * Sessions in a SQLite database: the embedded default, for one machine.
 *
 * <p>{@link #open(String)} opens its own pool over a file (created, with its folders, when missing)
 * in WAL mode with a busy timeout, so concurrent writers wait instead of failing. {@link
 * #SqliteSessionStore(DataSource)} runs on a caller's data source instead; set WAL and a busy
 * timeout on it yourself. Expiry is stored as epoch milliseconds.
 *
 * <p>Thread-safe. See {@link app.getbodhi.session.SessionStore} and {@link
 * app.getbodhi.session.ManagedSessionStore} for the contract.
 */
public final class SqliteSessionStore extends JooqSessionStore {

  /** The backend's name, as in URLs and {@link #backendName()}. */
  public static final String BACKEND_NAME = "sqlite";

  /**
   * How this backend stores {@code expiry_date}: epoch milliseconds, as SQLite has no timestamp
   * type. For code that reads or writes the column beside the store, such as a benchmark baseline.
   */
  public static final ExpiryColumn EXPIRY_COLUMN = ExpiryColumn.EPOCH_MILLIS;

  /** Where the Flyway scripts live: under this module's package, never {@code db/migration}. */
  public static final String MIGRATION_LOCATION = "classpath:app/getbodhi/session/sqlite/migration";

  /**
   * What SQLite does differently from the other SQL backends: epoch-millisecond instants; one
   * writer at a time, so {@code modify} takes the database's write lock ({@code BEGIN IMMEDIATE})
   * and a bulk delete is a plain statement that no rotation can interleave with; {@code rowid} to
   * page and delete by; no lock between nodes, since one machine owns the file.
   */
  public static final SqlBackendProfile PROFILE =
      new SqlBackendProfile(
          BACKEND_NAME,
          SQLDialect.SQLITE,
          EXPIRY_COLUMN,
          MIGRATION_LOCATION,
          SqlBackendProfile.RowLock.DATABASE_WRITE_LOCK,
          SqlBackendProfile.InsertIfAbsent.ON_CONFLICT_DO_NOTHING,
          SqlBackendProfile.ExpiredDelete.KEYS_FROM_SUBSELECT,
          Optional.of("rowid"),
          SqlBackendProfile.BulkDelete.ONE_WRITER,
          Optional.empty(),
          SqlBackendProfile.RetryableErrors.NONE);

  private SqliteSessionStore(
      DataSource dataSource, AutoCloseable ownedPool, SessionStoreConfig config) {
    super(
        dataSource,
        ownedPool,
        PROFILE,
        config,
        // sqlite-jdbc prepares every statement afresh; cached only on the store's own pool, whose
        // connections it knows to be sqlite-jdbc's
        ownedPool == null ? Optional.empty() : Optional.of(SQLiteConnection.class));
  }

  /**
   * Runs on a caller's data source, with the default settings. {@link #close()} leaves it open.
   *
   * @param dataSource connections to a SQLite database
   */
  public SqliteSessionStore(DataSource dataSource) {
    this(dataSource, SessionStoreConfig.defaults());
  }

  /**
   * Runs on a caller's data source. {@link #close()} leaves it open.
   *
   * @param dataSource connections to a SQLite database
   * @param config clock, size limit and batch size (pool settings are the data source's own)
   */
  public SqliteSessionStore(DataSource dataSource, SessionStoreConfig config) {
    this(dataSource, null, config);
  }

  /**
   * Opens a store with the default settings; see {@link #open(String, SessionStoreConfig)}.
   *
   * @param url {@code sqlite:PATH}, {@code sqlite://PATH}, {@code jdbc:sqlite:PATH} or {@code
   *     sqlite::memory:}
   * @return the store, not yet migrated
   */
  public static SqliteSessionStore open(String url) {
    return open(url, SessionStoreConfig.defaults());
  }

  /**
   * Opens a store over its own connection pool, which {@link #close()} closes. Missing folders on
   * the path are created. The query flag {@code ?mode=rwc|rw|ro|memory} is accepted as sqlx does.
   *
   * @param url {@code sqlite:PATH}, {@code sqlite://PATH}, {@code jdbc:sqlite:PATH} or {@code
   *     sqlite::memory:}
   * @param config pool size, timeouts, clock and limits
   * @return the store, not yet migrated: call {@link #migrate()}
   * @throws app.getbodhi.session.SessionServiceException of kind CONFIGURATION for a malformed URL,
   *     DATABASE when the file cannot be opened
   */
  public static SqliteSessionStore open(String url, SessionStoreConfig config) {
    HikariDataSource pool = dataSource(url, config);
    return new SqliteSessionStore(pool, pool, config);
  }

  /**
   * Opens the connection pool {@link #open(String, SessionStoreConfig)} would run on, for code that
   * needs plain JDBC on the same database set up the same way (WAL, busy timeout, synchronous and
   * cache pragmas, pool size): a test's own connections, a benchmark's baseline, or {@link
   * #SqliteSessionStore(DataSource, SessionStoreConfig)}. The caller owns the pool and closes it.
   *
   * <p>A {@code jdbc:sqlite:} URL goes to the driver as written, so its query may add pragmas the
   * store does not set, such as {@code ?foreign_keys=true}.
   *
   * @param url {@code sqlite:PATH}, {@code sqlite://PATH}, {@code jdbc:sqlite:PATH} or {@code
   *     sqlite::memory:}; missing folders on the path are created
   * @param config pool size, timeouts and pool metrics
   * @return the pool
   * @throws app.getbodhi.session.SessionServiceException of kind CONFIGURATION for a malformed URL,
   *     DATABASE when the file cannot be opened
   */
  public static HikariDataSource dataSource(String url, SessionStoreConfig config) {
    return SqlitePool.open(SqliteUrl.parse(url), config);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The store's connections run with {@code secure_delete}, so SQLite zeroes what it deletes;
   * {@code VACUUM} then rewrites the whole file, and a {@code TRUNCATE} checkpoint empties the WAL,
   * which still held the pages written before sealing.
   */
  @Override
  protected List<String> afterSealing(long sealedRows) {
    run(
        "vacuum the database after sealing",
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM");
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
          }
          return null;
        });
    return List.of();
  }

  @Override
  public String toString() {
    return "SqliteSessionStore";
  }
}

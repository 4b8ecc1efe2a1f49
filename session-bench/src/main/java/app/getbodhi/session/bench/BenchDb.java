package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.jooq.JooqSessionStore;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.internal.SqlitePool;
import app.getbodhi.session.sqlite.internal.SqliteUrl;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Properties;

/**
 * One benchmark database: a SQLite file, or a schema on the benchmark PostgreSQL server. Every
 * implementation under test gets the same kind of pool on it: ours opens its own through the public
 * entry points ({@link SqliteSessionStore#open}, {@link PgSessionStore#connect}); raw JDBC and
 * Spring get a HikariCP pool configured the same way ({@link SqlitePool} itself for SQLite, the
 * same driver properties and size for PostgreSQL).
 *
 * <p>Where the databases are is passed to the JMH forks as system properties, see {@link #of}.
 */
final class BenchDb {

  /** System property: the folder of the SQLite files. */
  static final String SQLITE_DIR = "bench.sqlite.dir";

  /** System property: {@code host:port/database} of the PostgreSQL server. */
  static final String PG_ADDRESS = "bench.pg.address";

  static final String PG_USER = "bench.pg.user";
  static final String PG_PASSWORD = "bench.pg.password";

  /** The pool size of every implementation: the store's default. */
  static final int POOL_SIZE = SessionStoreConfig.DEFAULT_MAXIMUM_POOL_SIZE;

  enum Backend {
    SQLITE,
    POSTGRES;

    static Backend parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }

    String label() {
      return this == SQLITE ? "sqlite" : "postgres";
    }
  }

  final Backend backend;
  final String name;

  private BenchDb(Backend backend, String name) {
    this.backend = backend;
    this.name = name;
  }

  /**
   * Names a database: a file {@code NAME.sqlite} in {@value #SQLITE_DIR}, or the schema {@code
   * bench_NAME} on the server at {@value #PG_ADDRESS}.
   */
  static BenchDb of(String backend, String name) {
    return new BenchDb(Backend.parse(backend), name);
  }

  static BenchDb of(Backend backend, String name) {
    return new BenchDb(backend, name);
  }

  Path sqliteFile() {
    return Path.of(System.getProperty(SQLITE_DIR, "target/bench-data")).resolve(name + ".sqlite");
  }

  String schema() {
    return "bench_" + name;
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set");
    }
    return value;
  }

  /** The URL our store opens. */
  String storeUrl() {
    if (backend == Backend.SQLITE) {
      return "sqlite:" + sqliteFile().toAbsolutePath();
    }
    return "postgres://"
        + enc(required(PG_USER))
        + ":"
        + enc(System.getProperty(PG_PASSWORD, ""))
        + "@"
        + required(PG_ADDRESS)
        + "?currentSchema="
        + schema();
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Opens our store on this database, with the default settings (pool of 10). */
  ManagedSessionStore openOurs() {
    return openOurs(SessionStoreConfig.defaults());
  }

  ManagedSessionStore openOurs(SessionStoreConfig config) {
    return backend == Backend.SQLITE
        ? SqliteSessionStore.open(storeUrl(), config)
        : PgSessionStore.connect(storeUrl(), config);
  }

  /** Wraps a caller's data source: only to read the SQL text the store renders. */
  JooqSessionStore wrap(javax.sql.DataSource dataSource) {
    return backend == Backend.SQLITE
        ? new SqliteSessionStore(dataSource)
        : new PgSessionStore(dataSource);
  }

  /** A pool configured as our store configures its own. */
  HikariDataSource openPool(int size) {
    return openPool(size, false);
  }

  /**
   * A pool configured as our store configures its own.
   *
   * @param size the pool size
   * @param sqliteForeignKeys for Spring's schema on SQLite: its attribute rows go with their
   *     session by {@code ON DELETE CASCADE}, which SQLite only honours with {@code foreign_keys}
   *     on
   */
  HikariDataSource openPool(int size, boolean sqliteForeignKeys) {
    SessionStoreConfig config = SessionStoreConfig.defaults().withMaximumPoolSize(size);
    if (backend == Backend.SQLITE && !sqliteForeignKeys) {
      // literally the store's own pool factory
      return SqlitePool.open(SqliteUrl.parse(storeUrl()), config);
    }
    if (backend == Backend.SQLITE) {
      // SqlitePool's settings, plus foreign keys
      HikariConfig hikari = new HikariConfig();
      hikari.setPoolName("bench-sqlite-fk");
      hikari.setDriverClassName("org.sqlite.JDBC");
      hikari.setJdbcUrl(SqliteUrl.parse(storeUrl()).jdbcUrl());
      hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
      hikari.addDataSourceProperty("journal_mode", "WAL");
      hikari.addDataSourceProperty("synchronous", "NORMAL");
      hikari.addDataSourceProperty("busy_timeout", String.valueOf(config.busyTimeout().toMillis()));
      hikari.addDataSourceProperty("foreign_keys", "true");
      hikari.setMaximumPoolSize(size);
      return new HikariDataSource(hikari);
    }
    // as PgSessionStore.connect does
    Properties driver = new Properties();
    driver.setProperty("connectTimeout", "5");
    driver.setProperty("loginTimeout", "5");
    driver.setProperty("ApplicationName", "bodhi-sessions-bench");
    driver.setProperty("currentSchema", schema());
    // the store's guard against a frozen server; it costs every round trip a poll() before the
    // read, so a baseline without it would be measured on cheaper sockets than ours
    driver.setProperty("socketTimeout", Long.toString(config.queryTimeout().toSeconds()));
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("bench-postgres");
    hikari.setDriverClassName(org.postgresql.Driver.class.getName());
    hikari.setJdbcUrl("jdbc:postgresql://" + required(PG_ADDRESS));
    hikari.setUsername(required(PG_USER));
    hikari.setPassword(System.getProperty(PG_PASSWORD, ""));
    hikari.setDataSourceProperties(driver);
    hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
    hikari.setMaximumPoolSize(size);
    hikari.setInitializationFailTimeout(config.connectionTimeout().toMillis());
    return new HikariDataSource(hikari);
  }

  /** Binds an expiry exactly as the store's ExpiryColumn does. */
  void bindExpiry(PreparedStatement statement, int index, Instant instant) throws SQLException {
    if (backend == Backend.SQLITE) {
      statement.setLong(index, instant.toEpochMilli());
    } else {
      statement.setObject(index, instant.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }

  /** Reads an expiry exactly as the store's ExpiryColumn does. */
  Instant readExpiry(ResultSet rows, int column) throws SQLException {
    if (backend == Backend.SQLITE) {
      return Instant.ofEpochMilli(rows.getLong(column));
    }
    return rows.getObject(column, OffsetDateTime.class).toInstant();
  }

  @Override
  public String toString() {
    return backend.label() + ":" + name;
  }
}

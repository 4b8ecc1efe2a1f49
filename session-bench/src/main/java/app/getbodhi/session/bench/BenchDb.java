package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.jooq.ExpiryColumn;
import app.getbodhi.session.jooq.JooqSessionStore;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.mariadb.testing.MariaDbServer;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One benchmark database: a SQLite file, a schema on the benchmark PostgreSQL server, or a database
 * on the benchmark MariaDB server. Every implementation under test gets the same pool on it: ours
 * opens its own through the public entry points ({@link SqliteSessionStore#open}, {@link
 * PgSessionStore#connect}, {@link MariaDbSessionStore#connect}); raw JDBC and Spring get that very
 * pool from the backends' {@code dataSource} methods, and bind expiry with the store's own {@link
 * ExpiryColumn}.
 *
 * <p>Where the databases are is passed to the JMH forks as system properties, see {@link #of}: the
 * MariaDB server as {@link MariaDbServer#URL_ENV}, which the fixture then uses instead of starting
 * one of its own.
 */
final class BenchDb {

  /** System property: the folder of the SQLite files. */
  static final String SQLITE_DIR = "bench.sqlite.dir";

  /** System property: the PostgreSQL server's URL, as {@link PostgresFixture#serverUrl()}. */
  static final String PG_URL = "bench.pg.url";

  /** The pool size of every implementation: the store's default. */
  static final int POOL_SIZE = SessionStoreConfig.DEFAULT_MAXIMUM_POOL_SIZE;

  /** The backends, in the order the report and the charts list them. */
  enum Backend {
    SQLITE,
    POSTGRES,
    MARIADB;

    /**
     * @throws IllegalArgumentException naming {@code BENCH_BACKENDS} for an unknown name
     */
    static Backend parse(String name) {
      for (Backend backend : values()) {
        if (backend.label().equals(name.strip().toLowerCase(Locale.ROOT))) {
          return backend;
        }
      }
      throw new IllegalArgumentException(
          "BENCH_BACKENDS: unknown backend '"
              + name
              + "'; the backends are sqlite, postgres, mariadb");
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The schema file Spring Session JDBC ships for this database. */
    String springSchema() {
      return switch (this) {
        case SQLITE -> "sqlite";
        case POSTGRES -> "postgresql";
        case MARIADB -> "mysql";
      };
    }
  }

  final Backend backend;
  final String name;

  /** How the backend stores {@code expiry_date}: what the raw baselines bind and read. */
  final ExpiryColumn expiry;

  private BenchDb(Backend backend, String name) {
    this.backend = backend;
    this.name = name;
    this.expiry =
        switch (backend) {
          case SQLITE -> SqliteSessionStore.EXPIRY_COLUMN;
          case POSTGRES -> PgSessionStore.EXPIRY_COLUMN;
          case MARIADB -> MariaDbSessionStore.EXPIRY_COLUMN;
        };
  }

  /**
   * Names a database: a file {@code NAME.sqlite} in {@value #SQLITE_DIR}, the schema {@code
   * bench_NAME} on the server at {@value #PG_URL}, or the database {@code bench_NAME} on the
   * MariaDB server.
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

  /** The URL our store opens. */
  String storeUrl() {
    if (backend == Backend.SQLITE) {
      return "sqlite:" + sqliteFile().toAbsolutePath();
    }
    if (backend == Backend.MARIADB) {
      return MariaDbServer.shared().urlFor(schema());
    }
    String server = System.getProperty(PG_URL);
    if (server == null) {
      throw new IllegalStateException("system property " + PG_URL + " is not set");
    }
    return PostgresFixture.withParameter(server, "currentSchema=" + schema());
  }

  /** Opens our store on this database, with the default settings (pool of 10). */
  ManagedSessionStore openOurs() {
    return openOurs(SessionStoreConfig.defaults());
  }

  ManagedSessionStore openOurs(SessionStoreConfig config) {
    return switch (backend) {
      case SQLITE -> SqliteSessionStore.open(storeUrl(), config);
      case POSTGRES -> PgSessionStore.connect(storeUrl(), config);
      case MARIADB -> MariaDbSessionStore.connect(storeUrl(), config);
    };
  }

  /** Wraps a caller's data source: only to read the SQL text the store renders. */
  JooqSessionStore wrap(javax.sql.DataSource dataSource) {
    return switch (backend) {
      case SQLITE -> new SqliteSessionStore(dataSource);
      case POSTGRES -> new PgSessionStore(dataSource);
      case MARIADB -> new MariaDbSessionStore(dataSource);
    };
  }

  /** The pool our store would open on this database, of the given size. */
  HikariDataSource openPool(int size) {
    return openPool(size, false);
  }

  /**
   * The pool our store would open on this database, of the given size.
   *
   * @param size the pool size
   * @param sqliteForeignKeys for Spring's schema on SQLite: its attribute rows go with their
   *     session by {@code ON DELETE CASCADE}, which SQLite only honours with {@code foreign_keys}
   *     on; the driver takes the pragma from a {@code jdbc:sqlite:} URL's query
   */
  HikariDataSource openPool(int size, boolean sqliteForeignKeys) {
    SessionStoreConfig config = SessionStoreConfig.defaults().withMaximumPoolSize(size);
    if (backend == Backend.POSTGRES) {
      return PgSessionStore.dataSource(storeUrl(), config);
    }
    if (backend == Backend.MARIADB) {
      return MariaDbSessionStore.dataSource(storeUrl(), config);
    }
    String url =
        sqliteForeignKeys
            ? "jdbc:sqlite:" + sqliteFile().toAbsolutePath() + "?foreign_keys=true"
            : storeUrl();
    return SqliteSessionStore.dataSource(url, config);
  }

  @Override
  public String toString() {
    return backend.label() + ":" + name;
  }
}

package app.getbodhi.session.sqlite.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.PoolMetrics;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the HikariCP pool a SQLite store runs on. */
public final class SqlitePool {

  /** WAL lets readers run while one writer writes; the default rollback journal blocks them. */
  static final String JOURNAL_MODE = "WAL";

  /**
   * In WAL mode NORMAL is durable against application crashes and only risks the last commits on
   * power loss, at a fraction of FULL's fsync cost: the usual choice for session data.
   */
  static final String SYNCHRONOUS = "NORMAL";

  /**
   * Page cache per connection, in KiB (SQLite's negative form): 8 MiB instead of the default 2 MiB
   * keeps the indexes of a table of a million sessions in memory for purges and per-user queries.
   * Native memory, per pooled connection.
   */
  static final String CACHE_SIZE = String.valueOf(-8 * 1024);

  private SqlitePool() {}

  /**
   * Opens a pool for a parsed URL, creating the file's folders when the mode allows.
   *
   * @param url the parsed URL
   * @param config pool size, timeouts
   * @return the pool
   * @throws SessionServiceException of kind CONFIGURATION or DATABASE when the file cannot be
   *     opened
   */
  public static HikariDataSource open(SqliteUrl url, SessionStoreConfig config) {
    url.file().ifPresent(file -> prepareFile(file, url.mode()));

    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("bodhi-sessions-sqlite");
    hikari.setDriverClassName("org.sqlite.JDBC");
    hikari.setJdbcUrl(url.jdbcUrl());
    hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
    // sqlite-jdbc applies these pragmas to every connection it opens
    hikari.addDataSourceProperty("journal_mode", JOURNAL_MODE);
    hikari.addDataSourceProperty("synchronous", SYNCHRONOUS);
    hikari.addDataSourceProperty("cache_size", CACHE_SIZE);
    // deleted and overwritten content is zeroed rather than left in free space: what the sealing
    // migration replaces (plaintext sessions) must not stay readable in the file
    hikari.addDataSourceProperty("secure_delete", "true");
    hikari.addDataSourceProperty("busy_timeout", String.valueOf(config.busyTimeout().toMillis()));
    if (url.mode() == SqliteUrl.Mode.MEMORY) {
      // an in-memory database lives only while a connection holds it: one connection, kept for
      // the life of the store
      hikari.setMaximumPoolSize(1);
      hikari.setMinimumIdle(1);
      hikari.setMaxLifetime(0);
      hikari.setIdleTimeout(0);
    } else {
      hikari.setMaximumPoolSize(config.maximumPoolSize());
    }
    if (url.mode() == SqliteUrl.Mode.READ_ONLY) {
      hikari.setReadOnly(true);
      hikari.addDataSourceProperty("open_mode", "1");
    }
    PoolMetrics.apply(config, hikari);
    try {
      return new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new SessionServiceException(
          SessionServiceException.Kind.DATABASE,
          "Could not open the SQLite session database '"
              + DatabaseUrls.redact(url.jdbcUrl())
              + "': "
              + rootMessage(e)
              + ". Check that the path is writable.",
          e);
    }
  }

  private static void prepareFile(Path file, SqliteUrl.Mode mode) {
    if (mode != SqliteUrl.Mode.READ_WRITE_CREATE) {
      if (!Files.isRegularFile(file)) {
        throw new SessionServiceException(
            SessionServiceException.Kind.CONFIGURATION,
            "The SQLite session file "
                + file
                + " does not exist, and the URL's mode does not allow creating it; use mode=rwc"
                + " or create the file.");
      }
      return;
    }
    Path parent = file.getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new SessionServiceException(
            SessionServiceException.Kind.CONFIGURATION,
            "Could not create the folder " + parent + " for the SQLite session file: " + e,
            e);
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}

package app.getbodhi.session.sqlite.testing;

import app.getbodhi.session.tck.TestDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A SQLite database in a file, for one test: {@code SqliteFixture.tempFile()} makes a new folder
 * under the system's temporary directory and deletes it on {@link #close()}; {@code
 * SqliteFixture.at(path)} uses a file the caller owns (a JUnit {@code @TempDir}) and leaves it.
 *
 * <pre>{@code
 * try (SqliteFixture db = SqliteFixture.tempFile();
 *     SqliteSessionStore store = SqliteSessionStore.open(db.url())) {
 *   store.migrate();
 *   ...
 * }
 * }</pre>
 *
 * <p>It ships in session-sqlite's test-jar: a module that tests against SQLite depends on that
 * test-jar, and gets the driver and HikariCP through session-sqlite itself.
 */
public final class SqliteFixture extends TestDatabase {

  /** The file name used inside a temporary folder. */
  public static final String FILE_NAME = "sessions.sqlite";

  private final Path file;
  private final Path ownedFolder;
  private final HikariDataSource pool;

  private SqliteFixture(Path file, Path ownedFolder) {
    super("sqlite");
    this.file = file.toAbsolutePath();
    this.ownedFolder = ownedFolder;
    this.pool = openPool(2);
  }

  /**
   * Returns a database in a new file inside a new temporary folder, both deleted on {@link
   * #close()}.
   *
   * @return the database; the file does not exist until something connects
   */
  public static SqliteFixture tempFile() {
    try {
      Path folder = Files.createTempDirectory("bodhi-sessions-tck-");
      return new SqliteFixture(folder.resolve(FILE_NAME), folder);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temporary folder for SQLite", e);
    }
  }

  /**
   * Returns a database in a file the caller owns; {@link #close()} leaves the file.
   *
   * @param file the database file; its folder must exist
   * @return the database
   */
  public static SqliteFixture at(Path file) {
    return new SqliteFixture(Objects.requireNonNull(file, "file"), null);
  }

  /**
   * Returns the database file.
   *
   * @return its absolute path
   */
  public Path file() {
    return file;
  }

  /** Returns {@code sqlite:} followed by the file's absolute path. */
  @Override
  public String url() {
    return "sqlite:" + file;
  }

  /**
   * Opens a pool of plain connections on the file, without the store's pragmas: the one way to
   * reach a SQLite file raw, for {@link #dataSource()} and for tests of pooling itself.
   *
   * @param size the pool's size; no connection is opened before the first is asked for
   * @return the pool, which the caller closes
   */
  public HikariDataSource openPool(int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("tck-sqlite-raw");
    config.setJdbcUrl("jdbc:sqlite:" + file);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    // open nothing up front: the file appears only when a store or a check first connects
    config.setInitializationFailTimeout(-1);
    // checks run beside the store's own pool; wait for its locks instead of failing
    config.addDataSourceProperty("busy_timeout", "10000");
    return new HikariDataSource(config);
  }

  @Override
  public DataSource dataSource() {
    return pool;
  }

  @Override
  public Set<String> tableNames() {
    return lowerCaseSet(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE"
            + " '\\' ORDER BY name");
  }

  @Override
  public Set<String> columnNames(String table) {
    return lowerCaseSet("SELECT name FROM pragma_table_info(?) ORDER BY cid", table);
  }

  @Override
  public Set<String> indexNames(String table) {
    return lowerCaseSet(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name",
        table);
  }

  @Override
  public String legacySessionTableDdl() {
    return "CREATE TABLE bodhi_sessions ("
        + " id TEXT PRIMARY KEY NOT NULL,"
        + " data BLOB NOT NULL,"
        + " expiry_date INTEGER NOT NULL)";
  }

  /** One trigger per event: SQLite has no {@code INSERT OR UPDATE} trigger. */
  @Override
  protected AutoCloseable refuse(String what, List<String> events, String condition) {
    for (String event : events) {
      execute(
          "CREATE TRIGGER bodhi_test_refuse_"
              + what
              + "_"
              + event.toLowerCase(java.util.Locale.ROOT)
              + " BEFORE "
              + event
              + " ON bodhi_sessions WHEN "
              + condition
              + " BEGIN SELECT RAISE(ABORT, '"
              + what
              + " refused by the test'); END");
    }
    return () -> {
      for (String event : events) {
        execute(
            "DROP TRIGGER bodhi_test_refuse_"
                + what
                + "_"
                + event.toLowerCase(java.util.Locale.ROOT));
      }
    };
  }

  /** {@code INTEGER} epoch milliseconds: the number itself. */
  @Override
  protected String expiryFromEpochMillis() {
    return "?";
  }

  @Override
  public void close() {
    pool.close();
    if (ownedFolder != null) {
      try (Stream<Path> paths = Files.walk(ownedFolder)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not delete " + ownedFolder, e);
      }
    }
  }

  @Override
  public String toString() {
    return "SqliteFixture[" + file + "]";
  }
}

package app.getbodhi.session.sqlite;

import app.getbodhi.session.jooq.SqlStoreProvider;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.internal.SqliteInspector;
import java.util.List;

/**
 * Registers the SQLite backend with {@link java.util.ServiceLoader} for {@code sqlite:}, {@code
 * sqlite://} and {@code jdbc:sqlite:} URLs. A SQLite file lives on one machine, so the backend is
 * not {@link #sharedByNodes() shared by nodes}.
 *
 * <p>{@link #open} is {@link SqliteSessionStore#open(String, SessionStoreConfig)}; {@link #inspect}
 * checks that the file exists (or that its folder can be created and written), that it is not
 * damaged ({@code PRAGMA quick_check}), and reads it without creating a folder, a file or even
 * SQLite's {@code -wal} and {@code -shm} files.
 */
public final class SqliteSessionStoreProvider extends SqlStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public SqliteSessionStoreProvider() {
    // a file on one machine: never shared by several nodes
    super(
        SqliteSessionStore.BACKEND_NAME,
        "app.getbodhi:session-sqlite",
        false,
        List.of("sqlite:", "jdbc:sqlite:"),
        SqliteSessionStore::open,
        SqliteInspector::inspect);
  }

  /** Compares the files the URLs reach, symbolic links and {@code ..} resolved. */
  @Override
  public boolean sameStore(String url, String other) {
    return SqliteInspector.sameFile(url, other);
  }
}

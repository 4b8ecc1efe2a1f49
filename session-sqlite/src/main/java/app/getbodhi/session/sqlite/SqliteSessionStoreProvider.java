package app.getbodhi.session.sqlite;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.sqlite.internal.SqliteInspector;
import java.time.Clock;
import java.util.List;

/**
 * Registers the SQLite backend with {@link java.util.ServiceLoader} for {@code sqlite:}, {@code
 * sqlite://} and {@code jdbc:sqlite:} URLs. A SQLite file lives on one machine, so the backend is
 * not {@link #sharedByNodes() shared by nodes}.
 */
public final class SqliteSessionStoreProvider implements SessionStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public SqliteSessionStoreProvider() {}

  @Override
  public String name() {
    return SqliteSessionStore.BACKEND_NAME;
  }

  @Override
  public List<String> urlPrefixes() {
    return List.of("sqlite:", "jdbc:sqlite:");
  }

  @Override
  public String artifact() {
    return "app.getbodhi:session-sqlite";
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + urlPrefixes();
  }

  @Override
  public ManagedSessionStore open(String url, SessionStoreConfig config) {
    return SqliteSessionStore.open(url, config);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Checks that the file exists (or that its folder can be created and written), that it is not
   * damaged ({@code PRAGMA quick_check}), and reads it without creating a folder, a file or even
   * SQLite's {@code -wal} and {@code -shm} files.
   */
  @Override
  public StoreInspection inspect(String url) {
    return SqliteInspector.inspect(url, Clock.systemUTC());
  }

  /** A file on one machine: never shared by several nodes. */
  @Override
  public boolean sharedByNodes() {
    return false;
  }

  /** Compares the files the URLs reach, symbolic links and {@code ..} resolved. */
  @Override
  public boolean sameStore(String url, String other) {
    return SqliteInspector.sameFile(url, other);
  }
}

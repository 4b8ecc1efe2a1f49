package app.getbodhi.session.sqlite;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.jooq.KnownBackendProvider;
import app.getbodhi.session.spi.KnownBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.sqlite.internal.SqliteInspector;
import java.time.Clock;

/**
 * Registers the SQLite backend with {@link java.util.ServiceLoader} for {@code sqlite:}, {@code
 * sqlite://} and {@code jdbc:sqlite:} URLs. A SQLite file lives on one machine, so the backend is
 * not {@link #sharedByNodes() shared by nodes}.
 */
public final class SqliteSessionStoreProvider extends KnownBackendProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public SqliteSessionStoreProvider() {
    super(KnownBackend.SQLITE);
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

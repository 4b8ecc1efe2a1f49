package app.getbodhi.session.sqlite;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.util.List;

/**
 * Registers the SQLite backend with {@link java.util.ServiceLoader} for {@code sqlite:}, {@code
 * sqlite://} and {@code jdbc:sqlite:} URLs.
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
  public ManagedSessionStore open(String url, SessionStoreConfig config) {
    return SqliteSessionStore.open(url, config);
  }
}

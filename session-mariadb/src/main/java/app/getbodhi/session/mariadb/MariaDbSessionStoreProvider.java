package app.getbodhi.session.mariadb;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.mariadb.internal.MariaDbInspector;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import java.time.Clock;
import java.util.List;

/**
 * Offers {@link MariaDbSessionStore} to {@link java.util.ServiceLoader} for {@code mariadb://} and
 * {@code jdbc:mariadb://} URLs. Listed in {@code
 * META-INF/services/app.getbodhi.session.spi.SessionStoreProvider}; stateless and thread-safe. A
 * database server is what several nodes share, so the backend is {@link #sharedByNodes() shared by
 * nodes} and cluster mode runs on it.
 */
public final class MariaDbSessionStoreProvider implements SessionStoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public MariaDbSessionStoreProvider() {}

  @Override
  public String name() {
    return MariaDbSessionStore.BACKEND_NAME;
  }

  @Override
  public List<String> urlPrefixes() {
    return List.of("mariadb://", "jdbc:mariadb://");
  }

  @Override
  public String artifact() {
    return "app.getbodhi:session-mariadb";
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + urlPrefixes();
  }

  /** Opens the store with {@link MariaDbSessionStore#connect(String, SessionStoreConfig)}. */
  @Override
  public ManagedSessionStore open(String url, SessionStoreConfig config) {
    return MariaDbSessionStore.connect(url, config);
  }

  /**
   * Reads the schema version and the session counts over one short-lived connection, without
   * writing; an unreachable server, a refused login or a missing database is a problem in the
   * result.
   */
  @Override
  public StoreInspection inspect(String url) {
    return MariaDbInspector.inspect(url, Clock.systemUTC());
  }

  /** Every node connects to the same server: shared. */
  @Override
  public boolean sharedByNodes() {
    return true;
  }
}

package app.getbodhi.session.postgres;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.postgres.internal.PgInspector;
import app.getbodhi.session.postgres.internal.PgLocation;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import java.time.Clock;
import java.util.List;

/**
 * Offers {@link PgSessionStore} to {@link java.util.ServiceLoader} for {@code postgres://}, {@code
 * postgresql://} and {@code jdbc:postgresql://} URLs. Listed in {@code
 * META-INF/services/app.getbodhi.session.spi.SessionStoreProvider}; stateless and thread-safe. A
 * database server is what several nodes share, so the backend is {@link #sharedByNodes() shared by
 * nodes} and cluster mode runs on it.
 */
public final class PgSessionStoreProvider implements SessionStoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public PgSessionStoreProvider() {}

  @Override
  public String name() {
    return PgSessionStore.BACKEND_NAME;
  }

  @Override
  public List<String> urlPrefixes() {
    return List.of("postgres://", "postgresql://", "jdbc:postgresql://");
  }

  @Override
  public String artifact() {
    return "app.getbodhi:session-postgres";
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + urlPrefixes();
  }

  /** Opens the store with {@link PgSessionStore#connect(String, SessionStoreConfig)}. */
  @Override
  public ManagedSessionStore open(String url, SessionStoreConfig config) {
    return PgSessionStore.connect(url, config);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Connects once, giving up after {@link PgInspector#CONNECT_TIMEOUT}, and only reads.
   */
  @Override
  public StoreInspection inspect(String url) {
    return PgInspector.inspect(url, Clock.systemUTC());
  }

  /** Every node connects to the same server: shared. */
  @Override
  public boolean sharedByNodes() {
    return true;
  }

  /**
   * Compares servers ({@code host:port}, loopback spellings taken as one), database and schema
   * ({@code currentSchema}, {@code public} when unset); users and other parameters do not matter.
   */
  @Override
  public boolean sameStore(String url, String other) {
    return PgLocation.of(url).sameStoreAs(PgLocation.of(other));
  }
}

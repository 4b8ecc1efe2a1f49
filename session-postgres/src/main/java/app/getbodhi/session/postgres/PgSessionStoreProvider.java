package app.getbodhi.session.postgres;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.util.List;

/**
 * Offers {@link PgSessionStore} to {@link java.util.ServiceLoader} for {@code postgres://}, {@code
 * postgresql://} and {@code jdbc:postgresql://} URLs. Listed in {@code
 * META-INF/services/app.getbodhi.session.spi.SessionStoreProvider}; stateless and thread-safe.
 */
public final class PgSessionStoreProvider implements SessionStoreProvider {

  private static final List<String> URL_PREFIXES =
      List.of("postgres://", "postgresql://", "jdbc:postgresql://");

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public PgSessionStoreProvider() {}

  @Override
  public String name() {
    return PgSessionStore.BACKEND_NAME;
  }

  @Override
  public List<String> urlPrefixes() {
    return URL_PREFIXES;
  }

  /** Opens the store with {@link PgSessionStore#connect(String, SessionStoreConfig)}. */
  @Override
  public ManagedSessionStore open(String url, SessionStoreConfig config) {
    return PgSessionStore.connect(url, config);
  }

  @Override
  public String toString() {
    return "PgSessionStoreProvider" + URL_PREFIXES;
  }
}

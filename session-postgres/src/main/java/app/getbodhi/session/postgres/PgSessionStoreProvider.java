package app.getbodhi.session.postgres;

import app.getbodhi.session.jooq.ServerInspector;
import app.getbodhi.session.jooq.SqlStoreProvider;
import app.getbodhi.session.postgres.internal.PgInspector;
import app.getbodhi.session.postgres.internal.PgLocation;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.List;

/**
 * Offers {@link PgSessionStore} to {@link java.util.ServiceLoader} for {@code postgres://}, {@code
 * postgresql://} and {@code jdbc:postgresql://} URLs. Listed in {@code
 * META-INF/services/app.getbodhi.session.spi.SessionStoreProvider}; stateless and thread-safe. A
 * database server is what several nodes share, so the backend is {@link #sharedByNodes() shared by
 * nodes} and cluster mode runs on it.
 *
 * <p>{@link #open} is {@link PgSessionStore#connect(String, SessionStoreConfig)}; {@link #inspect}
 * connects once, gives up after {@link ServerInspector#CONNECT_TIMEOUT}, and only reads.
 */
public final class PgSessionStoreProvider extends SqlStoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public PgSessionStoreProvider() {
    // every node connects to the same server: shared
    super(
        PgSessionStore.BACKEND_NAME,
        "app.getbodhi:session-postgres",
        true,
        List.of("postgres://", "postgresql://", "jdbc:postgresql://"),
        PgSessionStore::connect,
        new PgInspector()::inspect);
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

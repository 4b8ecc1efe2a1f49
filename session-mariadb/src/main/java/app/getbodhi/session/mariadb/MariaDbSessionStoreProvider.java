package app.getbodhi.session.mariadb;

import app.getbodhi.session.jooq.ServerInspector;
import app.getbodhi.session.jooq.SqlStoreProvider;
import app.getbodhi.session.mariadb.internal.MariaDbInspector;
import app.getbodhi.session.mariadb.internal.MariaDbUrl;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.List;

/**
 * Offers {@link MariaDbSessionStore} to {@link java.util.ServiceLoader} for {@code mariadb://} and
 * {@code jdbc:mariadb://} URLs. Listed in {@code
 * META-INF/services/app.getbodhi.session.spi.SessionStoreProvider}; stateless and thread-safe. A
 * database server is what several nodes share, so the backend is {@link #sharedByNodes() shared by
 * nodes} and cluster mode runs on it.
 *
 * <p>{@link #open} is {@link MariaDbSessionStore#connect(String, SessionStoreConfig)}; {@link
 * #inspect} connects once, gives up after {@link ServerInspector#CONNECT_TIMEOUT}, and only reads.
 */
public final class MariaDbSessionStoreProvider extends SqlStoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public MariaDbSessionStoreProvider() {
    // every node connects to the same server: shared
    super(
        MariaDbSessionStore.BACKEND_NAME,
        "app.getbodhi:session-mariadb",
        true,
        List.of("mariadb://", "jdbc:mariadb://"),
        MariaDbSessionStore::connect,
        new MariaDbInspector()::inspect);
  }

  /**
   * Compares the server ({@code host:port}, loopback spellings taken as one) and the database;
   * users and other parameters do not matter.
   *
   * @throws app.getbodhi.session.SessionServiceException of kind CONFIGURATION when either URL is
   *     malformed
   */
  @Override
  public boolean sameStore(String url, String other) {
    return MariaDbUrl.parse(url).sameStoreAs(MariaDbUrl.parse(other));
  }
}

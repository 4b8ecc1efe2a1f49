package app.getbodhi.session.jooq;

import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link JooqSessionStore} on a database server: either over the pool {@link ServerPool#connect}
 * opened, which the store owns and {@link #close()} closes, or over a data source the caller owns,
 * which {@link #close()} leaves open. What a server backend's store class adds is its profile, its
 * URL and its public constructors and factories.
 *
 * <p>{@link #toString()} names the store class and where it connects, never a password.
 */
public abstract class ServerSessionStore extends JooqSessionStore {

  private final String description;

  /**
   * Wraps a data source the caller owns. The server's driver keeps its own prepared statements, so
   * the store caches none.
   *
   * @param dataSource connections to the database, in auto-commit mode
   * @param profile what differs between backends
   * @param config clock, secrets, size limit and batch size; its pool settings are not used
   */
  protected ServerSessionStore(
      DataSource dataSource, SqlBackendProfile profile, SessionStoreConfig config) {
    super(
        Objects.requireNonNull(dataSource, "dataSource"),
        null,
        profile,
        Objects.requireNonNull(config, "config"),
        Optional.empty());
    this.description = "a caller's DataSource";
  }

  /**
   * Runs on the connections {@link ServerPool#connect} opened; the store owns them.
   *
   * @param connections the pool and the unpooled connections
   * @param shownUrl where the pool connects, as {@link #toString()} may show it: without a password
   * @param profile what differs between backends
   * @param config clock, secrets, size limit and batch size
   */
  protected ServerSessionStore(
      ServerPool.Connections connections,
      String shownUrl,
      SqlBackendProfile profile,
      SessionStoreConfig config) {
    super(connections, profile, Objects.requireNonNull(config, "config"));
    this.description =
        connections.pool().getPoolName() + " on " + Objects.requireNonNull(shownUrl, "shownUrl");
  }

  /** Names the store class and where it connects, never the password. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + description + "]";
  }
}

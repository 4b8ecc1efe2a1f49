package app.getbodhi.session.tck;

import app.getbodhi.session.spi.SessionStoreConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Opens a connection pool on a database URL the way a backend's store opens its own: {@code
 * PgSessionStore::dataSource}. The kit imports no backend and parses no PostgreSQL URL; whoever
 * asks it for a PostgreSQL server hands it the backend's own opener, so there is one URL parser,
 * the backend's, and the kit's connections are set up exactly like the store's.
 */
@FunctionalInterface
public interface PoolOpener {

  /**
   * Opens a pool.
   *
   * @param url the database's URL; it may hold a password
   * @param config the pool's size and timeouts
   * @return the pool, which the caller closes; its JDBC URL, user and password are the URL's as the
   *     backend read them
   */
  HikariDataSource open(String url, SessionStoreConfig config);
}

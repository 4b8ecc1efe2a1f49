package app.getbodhi.session.postgres.testing;

import app.getbodhi.session.spi.SessionStoreConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Opens a connection pool on a database URL the way the store opens its own: {@code
 * PgSessionStore::dataSource}. {@link PostgresFixture} parses no PostgreSQL URL; whoever asks it
 * for a server hands it the store's own opener, so there is one URL parser, the store's, and the
 * fixture's connections are set up exactly like the store's.
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

package app.getbodhi.session.postgres.internal;

import app.getbodhi.session.jooq.SqlBackendProfile.NodeLock;
import app.getbodhi.session.postgres.PgSessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * PostgreSQL's session-level advisory locks as the nodes' lock: held by the server session that
 * took it, and freed when that session ends. Advisory locks are per database, so stores in
 * different schemas of one database also take turns, which is harmless.
 */
public final class PgAdvisoryLocks implements NodeLock {

  /** PostgreSQL's SQLState for a statement cancelled by its timeout. */
  private static final String QUERY_CANCELED = "57014";

  @Override
  public boolean acquire(Connection connection, Purpose purpose, Duration timeout)
      throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
      lock.setLong(1, key(purpose));
      // the driver cancels the wait on the server when this passes
      lock.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      lock.execute();
      return true;
    } catch (SQLException e) {
      if (QUERY_CANCELED.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public boolean tryAcquire(Connection connection, Purpose purpose) throws SQLException {
    return call(connection, "SELECT pg_try_advisory_lock(?)", purpose);
  }

  @Override
  public boolean release(Connection connection, Purpose purpose) throws SQLException {
    return call(connection, "SELECT pg_advisory_unlock(?)", purpose);
  }

  @Override
  public String describe(Purpose purpose) {
    return "advisory lock " + key(purpose) + ", see pg_locks";
  }

  private static boolean call(Connection connection, String sql, Purpose purpose)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, key(purpose));
      try (ResultSet result = statement.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }

  private static long key(Purpose purpose) {
    return switch (purpose) {
      case MIGRATION -> PgSessionStore.MIGRATION_LOCK_KEY;
      case CLEANUP -> PgSessionStore.CLEANUP_LOCK_KEY;
    };
  }
}

package app.getbodhi.session.mariadb.internal;

import app.getbodhi.session.jooq.SqlBackendProfile.NodeLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * MariaDB's named user locks ({@code GET_LOCK}) as the nodes' lock: held by the server session that
 * took it, and freed when that session ends. The names are per server, not per database, so stores
 * in different databases of one server also take turns, which is harmless.
 *
 * <p>{@code GET_LOCK} answers 1 when the lock is taken, 0 when the wait timed out and NULL on an
 * error (such as the session being killed); only 1 counts as taken. {@code RELEASE_LOCK} answers 1
 * when this session held the lock, 0 when another one does and NULL when nobody does.
 */
public final class MariaDbNamedLocks implements NodeLock {

  /** The lock {@code migrate()} holds. */
  public static final String MIGRATION_LOCK = "bodhi_sessions.migration";

  /** The lock {@code deleteExpired()} holds. */
  public static final String CLEANUP_LOCK = "bodhi_sessions.cleanup";

  /** Creates the lock; it holds no state. */
  public MariaDbNamedLocks() {}

  @Override
  public boolean acquire(Connection connection, Purpose purpose, Duration timeout)
      throws SQLException {
    // whole seconds, the server's unit, rounded up; at least 1, since 0 would not wait at all
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    return getLock(connection, purpose, seconds);
  }

  @Override
  public boolean tryAcquire(Connection connection, Purpose purpose) throws SQLException {
    return getLock(connection, purpose, 0);
  }

  @Override
  public boolean release(Connection connection, Purpose purpose) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
      statement.setString(1, name(purpose));
      return isOne(statement);
    }
  }

  @Override
  public String describe(Purpose purpose) {
    return "named lock '" + name(purpose) + "', see information_schema.metadata_lock_info";
  }

  private static boolean getLock(Connection connection, Purpose purpose, long seconds)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
      statement.setString(1, name(purpose));
      statement.setLong(2, seconds);
      return isOne(statement);
    }
  }

  private static boolean isOne(PreparedStatement statement) throws SQLException {
    try (ResultSet result = statement.executeQuery()) {
      if (!result.next()) {
        return false;
      }
      int answer = result.getInt(1);
      return !result.wasNull() && answer == 1;
    }
  }

  private static String name(Purpose purpose) {
    return switch (purpose) {
      case MIGRATION -> MIGRATION_LOCK;
      case CLEANUP -> CLEANUP_LOCK;
    };
  }
}

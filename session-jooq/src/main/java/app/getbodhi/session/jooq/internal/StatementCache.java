package app.getbodhi.session.jooq.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the prepared statements of each physical connection of a pool, so that a call reuses the
 * statement the last call on that connection prepared instead of preparing it again.
 *
 * <p>Why: sqlite-jdbc prepares every statement afresh (parsing and planning the SQL in SQLite), and
 * on a one-row read that is about two thirds of the call. PostgreSQL's driver keeps its own
 * per-connection cache, so only SQLite stores use this one.
 *
 * <p>Statements are prepared on the physical connection (unwrapped from the pool's proxy), because
 * a pool closes the statements made through a proxy when the proxy is returned. A physical
 * connection is used by one thread at a time (the one that borrowed it), so its statements need no
 * locking; the map from connection to statements is concurrent. Entries of connections the pool has
 * closed are dropped whenever a new connection is first seen, so the cache never holds more than
 * the pool's live connections plus the ones closed since.
 *
 * <p>Only for pools whose connections stay open for the life of the store or are closed by the pool
 * (as HikariCP does); a statement is never used by two threads at once only because a pool never
 * lends one connection to two threads. The store clears a statement's parameters after each use, so
 * a cached statement holds no session's id or data, and it never batches on one.
 */
public final class StatementCache {

  private final Class<? extends Connection> physicalType;
  private final Map<Connection, Map<String, PreparedStatement>> byConnection =
      new ConcurrentHashMap<>();

  private StatementCache(Class<? extends Connection> physicalType) {
    this.physicalType = Objects.requireNonNull(physicalType, "physicalType");
  }

  /**
   * A cache for pooled connections that unwrap to the driver's connection class.
   *
   * @param physicalType the driver's connection class, as {@link Connection#unwrap} takes it
   * @return an empty cache
   */
  public static StatementCache unwrapping(Class<? extends Connection> physicalType) {
    return new StatementCache(physicalType);
  }

  /**
   * Returns the statement for this SQL on the connection's physical connection, preparing it on
   * first use. The caller must not close it.
   */
  PreparedStatement statement(Connection pooled, String sql) throws SQLException {
    Connection physical = pooled.unwrap(physicalType);
    Map<String, PreparedStatement> statements = byConnection.get(physical);
    if (statements == null) {
      dropClosedConnections();
      statements = new HashMap<>();
      byConnection.put(physical, statements);
    }
    PreparedStatement statement = statements.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = physical.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /**
   * Closes and forgets the statements of a connection after an error on it, so that no statement
   * left in an unknown state is used again.
   */
  void discard(Connection pooled) {
    try {
      Map<String, PreparedStatement> statements = byConnection.remove(pooled.unwrap(physicalType));
      if (statements != null) {
        closeAll(statements);
      }
    } catch (SQLException e) {
      // the connection is gone; its statements went with it
    }
  }

  /** How many connections have statements here; for tests. */
  int connections() {
    return byConnection.size();
  }

  private void dropClosedConnections() throws SQLException {
    for (Map.Entry<Connection, Map<String, PreparedStatement>> entry : byConnection.entrySet()) {
      if (entry.getKey().isClosed()) {
        byConnection.remove(entry.getKey());
      }
    }
  }

  private static void closeAll(Map<String, PreparedStatement> statements) {
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        // closing after a failure; the first error is the one the caller reports
      }
    }
  }
}

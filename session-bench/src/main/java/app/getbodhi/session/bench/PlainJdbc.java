package app.getbodhi.session.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's SQL, literally, through plain JDBC on a pool of the kind the store opens: the floor
 * the benchmarks measure the store against. As most JDBC code does, it prepares each statement per
 * call; with {@code reuse} it keeps each physical connection's statements instead, as our SQLite
 * store does, which is the lower floor. Safe from any thread: a pool lends a physical connection to
 * one thread at a time, so its statements too.
 */
final class PlainJdbc implements AutoCloseable {

  final BenchDb db;
  final HikariDataSource pool;
  private final boolean reuse;
  private final Map<String, String> storeSql;
  private final Map<Connection, Map<String, PreparedStatement>> statements =
      new ConcurrentHashMap<>();

  /**
   * Opens a pool on a database.
   *
   * @param db the database
   * @param poolSize the pool's size
   * @param reuse whether to keep each connection's prepared statements
   */
  PlainJdbc(BenchDb db, int poolSize, boolean reuse) {
    this.db = db;
    this.reuse = reuse;
    this.pool = db.openPool(poolSize);
    this.storeSql = db.wrap(pool).statements();
  }

  /** The store's statement of that name, as the store renders it for this database. */
  String storeSql(String name) {
    String sql = storeSql.get(name);
    if (sql == null) {
      throw new IllegalArgumentException("the store has no statement " + name);
    }
    return sql;
  }

  /** Runs one statement on a pooled connection, prepared for the call or reused. */
  <T> T with(String sql, StatementWork<T> work) {
    try (Connection connection = pool.getConnection()) {
      if (!reuse) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          return work.apply(statement);
        }
      }
      Connection physical = connection.unwrap(Connection.class);
      Map<String, PreparedStatement> kept =
          statements.computeIfAbsent(physical, c -> new HashMap<>());
      PreparedStatement statement = kept.get(sql);
      if (statement == null) {
        statement = physical.prepareStatement(sql);
        kept.put(sql, statement);
      }
      return work.apply(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs a query that looks up one key among the live rows, as the store's {@code load} and its
   * per-user queries take it (the key, then now), and reads what it returns.
   */
  <T> T query(String sql, String key, RowsReader<T> read) {
    return with(
        sql,
        statement -> {
          statement.setString(1, key);
          db.expiry.bind(statement, 2, Instant.now());
          try (ResultSet rows = statement.executeQuery()) {
            return read.apply(rows);
          }
        });
  }

  @Override
  public void close() {
    pool.close();
  }

  /** What is done with a prepared statement. */
  @FunctionalInterface
  interface StatementWork<T> {
    T apply(PreparedStatement statement) throws SQLException;
  }

  /** What is read from a query's rows. */
  @FunctionalInterface
  interface RowsReader<T> {
    T apply(ResultSet rows) throws SQLException;
  }
}

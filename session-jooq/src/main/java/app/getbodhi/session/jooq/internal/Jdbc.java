package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.DriverMessages;
import app.getbodhi.session.jooq.SqlBackendProfile;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The JDBC work of a store: borrowing a pooled connection per call, preparing statements (from a
 * per-connection cache where the backend keeps one), transactions and their undoing, and turning a
 * {@link SQLException} into a {@link SessionServiceException} whose message says what failed and
 * why, without data, ids or passwords.
 */
public final class Jdbc {

  /** Work on a borrowed connection; may throw {@link SQLException}. */
  @FunctionalInterface
  public interface SqlWork<T> {
    /**
     * Does the work.
     *
     * @param connection a pooled connection in auto-commit mode
     * @return the result
     * @throws SQLException on a database error
     */
    T apply(Connection connection) throws SQLException;
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  public interface Binder {
    /**
     * Binds.
     *
     * @param statement the statement
     * @throws SQLException on a driver error
     */
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Reads a query's result. */
  @FunctionalInterface
  public interface RowsReader<T> {
    /**
     * Reads.
     *
     * @param rows the result, before its first row
     * @return what was read
     * @throws SQLException on a driver error
     */
    T read(ResultSet rows) throws SQLException;
  }

  private final DataSource dataSource;
  private final Optional<StatementCache> statementCache;
  private final String backendName;

  /**
   * For one store.
   *
   * @param dataSource where connections come from
   * @param statementCache where statements are kept between calls, or empty to prepare and close
   *     one per call
   * @param backendName for messages
   */
  public Jdbc(DataSource dataSource, Optional<StatementCache> statementCache, String backendName) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.statementCache = Objects.requireNonNull(statementCache, "statementCache");
    this.backendName = Objects.requireNonNull(backendName, "backendName");
  }

  /**
   * Returns the data source.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Runs work on a pooled connection.
   *
   * @param what what the work does, as in "Could not {what}"
   * @param work the work
   * @param <T> the result type
   * @return the work's result
   * @throws SessionServiceException of kind DATABASE on a database error
   */
  public <T> T run(String what, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean done = false;
      try {
        T result = work.apply(connection);
        done = true;
        return result;
      } finally {
        // after any failure, Errors included, no statement of this connection is trusted again
        if (!done) {
          statementCache.ifPresent(cache -> cache.discard(connection));
        }
      }
    } catch (SQLException e) {
      SQLException cause = withoutBatch(e);
      throw new SessionServiceException(
          SessionServiceException.Kind.DATABASE,
          "Could not "
              + what
              + " in the "
              + backendName
              + " session store: "
              + DriverMessages.reason(cause),
          cause);
    }
  }

  /**
   * Runs work in one transaction on a borrowed connection, after {@code setUp} (such as an
   * isolation level), and runs it again from the start when it fails with a {@code retryable} error
   * (a deadlock, a serialization failure), at most {@code maxAttempts} times in all.
   *
   * @param what for the message
   * @param setUp statements that open the transaction; may be empty
   * @param retryable the errors a retry resolves
   * @param maxAttempts how many times the work may run; at least 1
   * @param work the work; it must not commit
   * @param <T> the result type
   * @return the work's result, once committed
   */
  public <T> T transaction(
      String what,
      List<String> setUp,
      SqlBackendProfile.RetryableErrors retryable,
      int maxAttempts,
      SqlWork<T> work) {
    return run(
        what,
        connection -> {
          for (int attempt = 1; ; attempt++) {
            connection.setAutoCommit(false);
            try {
              try (Statement statement = connection.createStatement()) {
                for (String step : setUp) {
                  statement.execute(step);
                }
              }
              T result = work.apply(connection);
              connection.commit();
              connection.setAutoCommit(true);
              return result;
            } catch (SQLException e) {
              undo(connection, e);
              if (!retryable.test(e) || attempt >= maxAttempts) {
                throw e;
              }
            } catch (Throwable e) {
              undo(connection, e);
              throw e;
            }
          }
        });
  }

  /**
   * Runs work in the transaction a row lock opens, so that the row it reads cannot change before it
   * writes.
   *
   * @param what for the message
   * @param lock how the backend locks
   * @param work the work; it must not commit
   * @param <T> the result type
   * @return the work's result, once committed
   */
  public <T> T locked(String what, SqlBackendProfile.RowLock lock, SqlWork<T> work) {
    return run(
        what,
        connection -> {
          lock.begin(connection);
          try {
            T result = work.apply(connection);
            lock.commit(connection);
            return result;
          } catch (Throwable e) {
            try {
              lock.rollback(connection);
            } catch (Throwable rollback) {
              e.addSuppressed(rollback);
              discard(connection, e);
            }
            throw e;
          }
        });
  }

  /**
   * Runs one query on a borrowed connection: binds its parameters, then reads its result.
   *
   * @param what for the message
   * @param sql the statement
   * @param binder binds its parameters
   * @param reader reads its result
   * @param <T> the result type
   * @return what was read
   */
  public <T> T query(String what, String sql, Binder binder, RowsReader<T> reader) {
    return run(what, connection -> query(connection, sql, binder, reader));
  }

  /**
   * Runs one query on a connection the caller holds.
   *
   * @param connection the connection
   * @param sql the statement
   * @param binder binds its parameters
   * @param reader reads its result
   * @param <T> the result type
   * @return what was read
   * @throws SQLException on a database error
   */
  public <T> T query(Connection connection, String sql, Binder binder, RowsReader<T> reader)
      throws SQLException {
    try (Prepared prepared = prepare(connection, sql)) {
      binder.bind(prepared.statement());
      try (ResultSet rows = prepared.statement().executeQuery()) {
        return reader.read(rows);
      }
    }
  }

  /**
   * Runs one data-changing statement on a borrowed connection.
   *
   * @param what for the message
   * @param sql the statement
   * @param binder binds its parameters
   * @return the update count
   */
  public int update(String what, String sql, Binder binder) {
    return run(what, connection -> update(connection, sql, binder));
  }

  /**
   * Runs one data-changing statement on a connection the caller holds.
   *
   * @param connection the connection
   * @param sql the statement
   * @param binder binds its parameters
   * @return the update count
   * @throws SQLException on a database error
   */
  public int update(Connection connection, String sql, Binder binder) throws SQLException {
    try (Prepared prepared = prepare(connection, sql)) {
      binder.bind(prepared.statement());
      return prepared.statement().executeUpdate();
    }
  }

  /**
   * A statement for this call: from the cache (left open for the next call on the connection) or
   * prepared for this call alone (closed after it).
   *
   * @param connection the connection
   * @param sql the statement
   * @return the statement, to close after use
   * @throws SQLException on a driver error
   */
  public Prepared prepare(Connection connection, String sql) throws SQLException {
    return statementCache.isEmpty()
        ? new Prepared(connection.prepareStatement(sql), true)
        : new Prepared(statementCache.get().statement(connection, sql), false);
  }

  /**
   * A prepared statement with how to let go of it.
   *
   * @param statement the statement
   * @param closeAfterUse whether {@link #close()} closes it (else it is cached and only cleared)
   */
  public record Prepared(PreparedStatement statement, boolean closeAfterUse)
      implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      if (closeAfterUse) {
        statement.close();
      } else {
        // a cached statement would otherwise keep the last session's id and data in memory
        statement.clearParameters();
      }
    }
  }

  /**
   * Rolls back a failed transaction and puts the connection back in auto-commit. When the rollback
   * itself fails, the connection is aborted instead: turning auto-commit back on, by us or by a
   * pool, would commit what was written before the failure.
   *
   * @param connection the connection
   * @param failure the failure being reported, to which further failures are added
   */
  public static void undo(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (Throwable rollback) {
      failure.addSuppressed(rollback);
      discard(connection, failure);
      return;
    }
    try {
      connection.setAutoCommit(true);
    } catch (Throwable reset) {
      failure.addSuppressed(reset);
    }
  }

  /**
   * Aborts a connection whose rollback failed, adding any further failure to {@code failure}: a
   * connection left inside a transaction must not go back to the pool.
   *
   * @param connection the connection
   * @param failure the failure being reported
   */
  public static void discard(Connection connection, Throwable failure) {
    try {
      connection.abort(Runnable::run);
    } catch (Throwable abort) {
      failure.addSuppressed(abort);
    }
  }

  /**
   * A batch failure's own message may list the batch's statements with their values (pgjdbc does,
   * unless told not to), which are session ids and data; the database's error is the exception
   * chained to it.
   */
  private static SQLException withoutBatch(SQLException e) {
    if (e instanceof BatchUpdateException && e.getNextException() != null) {
      return e.getNextException();
    }
    return e;
  }
}

package app.getbodhi.session.jooq;

import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep8;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;

/**
 * Everything that differs between the SQL backends, as one value: a backend module builds its
 * profile once and hands it to {@link JooqSessionStore}, which renders and runs every statement
 * from it. Nothing else in this module asks which database it runs on, so a new SQL backend is a
 * new profile, its migrations and its URL parsing, with no change here.
 *
 * <p>See {@code docs/adding-a-backend.md} for how to choose each value; the store contract kit
 * ({@code session-tck}) proves a choice, in particular the rotation races that decide {@link
 * #bulkDelete}.
 *
 * @param backendName the backend's name, as its provider, its stores and the metrics give it, such
 *     as {@code postgres}
 * @param dialect the jOOQ dialect every statement is rendered in
 * @param expiry how the instant columns are stored
 * @param migrationLocation the classpath folder of the backend's Flyway scripts, under its own
 *     package (never {@code db/migration}), such as {@code
 *     classpath:app/getbodhi/session/postgres/migration}
 * @param rowLock how {@code modify} keeps its row from changing between its read and its write
 * @param insertIfAbsent the insert that adds a row only when its key is free
 * @param expiredDelete how expired sessions are deleted in bounded batches
 * @param rowid the column that orders rows as the table stores them, when the database has one that
 *     is cheaper to page and delete by than the key (SQLite's {@code rowid})
 * @param bulkDelete how logging a user, or everyone, out stays race-free against a concurrent id
 *     rotation
 * @param nodeLock the lock that lets one node at a time migrate or clean, when several nodes share
 *     the database
 * @param retryable which driver errors a retry of the whole transaction resolves
 */
public record SqlBackendProfile(
    String backendName,
    SQLDialect dialect,
    ExpiryColumn expiry,
    String migrationLocation,
    RowLock rowLock,
    InsertIfAbsent insertIfAbsent,
    ExpiredDelete expiredDelete,
    Optional<String> rowid,
    BulkDelete bulkDelete,
    Optional<NodeLock> nodeLock,
    RetryableErrors retryable) {

  /** Checks the components. */
  public SqlBackendProfile {
    Objects.requireNonNull(backendName, "backendName");
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(expiry, "expiry");
    Objects.requireNonNull(migrationLocation, "migrationLocation");
    Objects.requireNonNull(rowLock, "rowLock");
    Objects.requireNonNull(insertIfAbsent, "insertIfAbsent");
    Objects.requireNonNull(expiredDelete, "expiredDelete");
    Objects.requireNonNull(rowid, "rowid");
    Objects.requireNonNull(bulkDelete, "bulkDelete");
    Objects.requireNonNull(nodeLock, "nodeLock");
    Objects.requireNonNull(retryable, "retryable");
    if (migrationLocation.endsWith("/db/migration")) {
      throw new IllegalArgumentException(
          "migrationLocation must be under the backend's own package, not db/migration, so that"
              + " an application's Flyway never runs it: "
              + migrationLocation);
    }
  }

  /** How {@code modify} keeps the row it reads from changing before it writes. */
  public enum RowLock {
    /**
     * {@code SELECT ... FOR UPDATE} in an ordinary transaction: the read locks the row until the
     * commit (databases with row locks).
     */
    SELECT_FOR_UPDATE {
      @Override
      public void begin(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
      }

      @Override
      public void commit(Connection connection) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
      }

      @Override
      public void rollback(Connection connection) throws SQLException {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    },

    /**
     * The database's single write lock, taken by {@code BEGIN IMMEDIATE} before the read (SQLite,
     * which has no row locks and fails a deferred transaction that reads before it writes when
     * another writer committed in between). The read is a plain {@code SELECT}.
     */
    DATABASE_WRITE_LOCK {
      @Override
      public void begin(Connection connection) throws SQLException {
        execute(connection, "BEGIN IMMEDIATE");
      }

      @Override
      public void commit(Connection connection) throws SQLException {
        execute(connection, "COMMIT");
      }

      @Override
      public void rollback(Connection connection) throws SQLException {
        execute(connection, "ROLLBACK");
      }

      @Override
      public boolean selectForUpdate() {
        return false;
      }
    };

    /**
     * Starts the transaction that holds the lock.
     *
     * @param connection a connection in auto-commit mode
     * @throws SQLException when the transaction cannot start
     */
    public abstract void begin(Connection connection) throws SQLException;

    /**
     * Commits and leaves the connection in auto-commit mode.
     *
     * @param connection the connection {@link #begin} was called on
     * @throws SQLException when the commit fails
     */
    public abstract void commit(Connection connection) throws SQLException;

    /**
     * Rolls back and leaves the connection in auto-commit mode.
     *
     * @param connection the connection {@link #begin} was called on
     * @throws SQLException when the rollback fails; the caller then aborts the connection
     */
    public abstract void rollback(Connection connection) throws SQLException;

    /**
     * Says whether the read must carry {@code FOR UPDATE} to lock the row.
     *
     * @return true for row locks
     */
    public boolean selectForUpdate() {
      return true;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }
  }

  /** The insert that adds a row only when its key is free, and reports 0 rows when it was not. */
  public enum InsertIfAbsent {
    /** {@code INSERT ... ON CONFLICT DO NOTHING} (PostgreSQL, SQLite). */
    ON_CONFLICT_DO_NOTHING {
      @Override
      public Query complete(
          InsertValuesStep8<Record, ?, ?, ?, ?, ?, ?, ?, ?> insert, Field<?> key) {
        return insert.onConflictDoNothing();
      }
    },

    /**
     * {@code INSERT ... ON DUPLICATE KEY UPDATE key = key}: a no-op update of the existing row,
     * counted as 0 rows when the driver reports affected (not found) rows. Not {@code INSERT
     * IGNORE}, which would also turn a value the column cannot hold into a warning and a truncated
     * row.
     */
    ON_DUPLICATE_KEY_NO_OP {
      @Override
      public Query complete(
          InsertValuesStep8<Record, ?, ?, ?, ?, ?, ?, ?, ?> insert, Field<?> key) {
        return insert.onDuplicateKeyUpdate().set(noOp(key));
      }

      private static <T> Map<Field<T>, Field<T>> noOp(Field<T> key) {
        return Map.of(key, key);
      }
    };

    /**
     * Completes an insert of one row into the form that skips a taken key.
     *
     * @param insert the insert with its values
     * @param key the primary key column
     * @return the statement
     */
    public abstract Query complete(
        InsertValuesStep8<Record, ?, ?, ?, ?, ?, ?, ?, ?> insert, Field<?> key);
  }

  /** How one bounded batch of expired sessions is deleted. */
  public enum ExpiredDelete {
    /**
     * {@code DELETE ... WHERE key IN (SELECT key ... WHERE expired LIMIT n)}, keyed on the {@link
     * SqlBackendProfile#rowid} column when there is one (PostgreSQL, SQLite).
     */
    KEYS_FROM_SUBSELECT {
      @Override
      public Query batch(
          DSLContext dsl, Table<Record> table, Field<Object> key, Condition expired, int size) {
        return dsl.deleteFrom(table)
            .where(key.in(select(key).from(table).where(expired).limit(inline(size))));
      }
    },

    /**
     * {@code DELETE ... WHERE expired LIMIT n}, for databases that refuse a {@code LIMIT} in an
     * {@code IN} sub-select or a sub-select of the table being deleted from (MySQL, MariaDB).
     */
    DELETE_WITH_LIMIT {
      @Override
      public Query batch(
          DSLContext dsl, Table<Record> table, Field<Object> key, Condition expired, int size) {
        return dsl.deleteFrom(table).where(expired).limit(inline(size));
      }
    };

    /**
     * Builds the statement that deletes at most {@code size} expired rows.
     *
     * @param dsl renders in the backend's dialect
     * @param table the session table
     * @param key the column rows are picked by (the rowid, else the primary key)
     * @param expired the condition an expired row meets
     * @param size the most rows one statement deletes
     * @return the statement
     */
    public abstract Query batch(
        DSLContext dsl, Table<Record> table, Field<Object> key, Condition expired, int size);
  }

  /**
   * How a bulk delete (a user's sessions, or all) stays race-free against a concurrent rotation,
   * which deletes a row and inserts its successor in one transaction: a delete that waited on the
   * old row must not miss the new one.
   *
   * @param setUp statements run at the start of the delete's transaction, such as an isolation
   *     level; empty for a plain auto-commit statement
   * @param maxAttempts how many times the delete runs when it fails with a {@linkplain
   *     RetryableErrors retryable} error; at least 1
   */
  public record BulkDelete(List<String> setUp, int maxAttempts) {

    /**
     * How often a snapshot delete is tried before its failure is reported: 5, plenty for a login
     * storm on one user, and a bound on how long a request thread and a pooled connection are held.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    /**
     * A plain statement in auto-commit mode, for a database that runs one writer at a time
     * (SQLite): a rotation is then wholly before or wholly after the delete.
     */
    public static final BulkDelete ONE_WRITER = new BulkDelete(List.of(), 1);

    /** Checks the components. */
    public BulkDelete {
      setUp = List.copyOf(setUp);
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, but is " + maxAttempts);
      }
    }

    /**
     * A delete in its own transaction opened by {@code setUp}, retried on a fresh snapshot after a
     * retryable error. Under PostgreSQL's REPEATABLE READ a delete that waited on a row a rotation
     * moved fails with a serialization failure instead of skipping the row, and the retry sees the
     * successor.
     *
     * @param setUp the statements that open the transaction, such as {@code SET TRANSACTION
     *     ISOLATION LEVEL REPEATABLE READ}
     * @return the policy, with {@link #DEFAULT_MAX_ATTEMPTS}
     */
    public static BulkDelete snapshot(String... setUp) {
      return new BulkDelete(List.of(setUp), DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * Says whether the delete runs as a plain auto-commit statement.
     *
     * @return true for {@link #ONE_WRITER}
     */
    public boolean plain() {
      return setUp.isEmpty();
    }
  }

  /**
   * The driver errors that a retry of the whole transaction resolves: serialization failures,
   * deadlocks, lock wait timeouts.
   *
   * @param sqlStates SQLStates that mean "retry", such as PostgreSQL's {@code 40001}
   * @param vendorCodes vendor error codes that mean "retry", such as MariaDB's 1213 (deadlock)
   */
  public record RetryableErrors(Set<String> sqlStates, Set<Integer> vendorCodes) {

    /** None: a database that runs one writer at a time has no such errors. */
    public static final RetryableErrors NONE = new RetryableErrors(Set.of(), Set.of());

    /** Checks the components. */
    public RetryableErrors {
      sqlStates = Set.copyOf(sqlStates);
      vendorCodes = Set.copyOf(vendorCodes);
    }

    /**
     * Says whether an error, or one it was caused by, is one of these.
     *
     * @param e the error
     * @return true when a retry may succeed
     */
    public boolean test(SQLException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        // Set.of(...).contains(null) throws, and a driver may report no SQLState
        if (cause instanceof SQLException sql
            && ((sql.getSQLState() != null && sqlStates.contains(sql.getSQLState()))
                || vendorCodes.contains(sql.getErrorCode()))) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * A lock that one node of several sharing a database holds while it migrates the schema or cleans
   * expired sessions. It is tied to the connection it was taken on, and a connection that ends
   * frees it, so a node that dies never leaves it held.
   */
  public interface NodeLock {

    /** What the lock is for; each purpose is its own lock. */
    enum Purpose {
      /** Migrating the schema: the other nodes wait, then find nothing to do. */
      MIGRATION,
      /** Deleting expired sessions: the other nodes skip their round. */
      CLEANUP
    }

    /**
     * Takes the lock, waiting for the node that holds it.
     *
     * @param connection the connection to hold it on, in auto-commit mode
     * @param purpose which lock
     * @param timeout how long to wait
     * @return true when taken; false when the wait timed out
     * @throws SQLException when the lock cannot be asked for
     */
    boolean acquire(Connection connection, Purpose purpose, Duration timeout) throws SQLException;

    /**
     * Takes the lock only when it is free.
     *
     * @param connection the connection to hold it on
     * @param purpose which lock
     * @return true when taken
     * @throws SQLException when the lock cannot be asked for
     */
    boolean tryAcquire(Connection connection, Purpose purpose) throws SQLException;

    /**
     * Releases a lock this connection holds.
     *
     * @param connection the connection it was taken on
     * @param purpose which lock
     * @return true when it was held and is now released
     * @throws SQLException when the release cannot be sent
     */
    boolean release(Connection connection, Purpose purpose) throws SQLException;

    /**
     * Says which lock this is, for an operator's message, such as {@code advisory lock
     * 7093006209934615397}.
     *
     * @param purpose which lock
     * @return a short description
     */
    String describe(Purpose purpose);
  }
}

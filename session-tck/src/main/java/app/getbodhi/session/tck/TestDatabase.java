package app.getbodhi.session.tck;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * One fresh, empty database a test runs a session store against, with raw JDBC access for the
 * checks a store's own API cannot make (is the {@code user_id} column set, does an index exist) and
 * for setting up what a store must cope with (an unrelated table, a legacy session table).
 *
 * <p>Get one from the backend's fixture: each backend ships its fixture, a subclass of this one, in
 * its test-jar, beside the store it tests, so that a new backend brings its own without changing
 * this kit. {@link #close()} removes the database (such as the file, or the schema); close the
 * stores opened on it first.
 */
public abstract class TestDatabase implements AutoCloseable {

  private final String backendName;

  /**
   * For a backend's fixture.
   *
   * @param backendName what {@link #backendName()} returns, such as {@code sqlite}
   */
  protected TestDatabase(String backendName) {
    this.backendName = backendName;
  }

  /**
   * Closes what ran on this database, such as a test's nodes or stores, then the database itself,
   * even when closing one of them fails.
   *
   * @param usersOfIt what to close first, in order
   */
  public void closeAfter(Iterable<? extends AutoCloseable> usersOfIt) {
    try {
      for (AutoCloseable user : usersOfIt) {
        try {
          user.close();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("Could not close " + user, e);
        }
      }
    } finally {
      close();
    }
  }

  /**
   * Returns the URL a backend opens this database with, such as {@code sqlite:/tmp/x/s.sqlite} or
   * {@code postgres://user:pass@host:5432/db?currentSchema=t_1a2b}.
   *
   * @return the URL; it may hold a password
   */
  public abstract String url();

  /**
   * Returns a small connection pool on this database for raw checks; the fixture owns it and closes
   * it in {@link #close()}. Which pool is the fixture's choice: the kit only needs JDBC.
   *
   * @return the data source
   */
  public abstract DataSource dataSource();

  /**
   * Names the backend this database belongs to, as {@code ManagedSessionStore.backendName()} does.
   *
   * @return such as {@code sqlite} or {@code postgres}
   */
  public String backendName() {
    return backendName;
  }

  /**
   * Lists the tables of this database (of its schema, for PostgreSQL), without system tables.
   *
   * @return table names, lower case
   */
  public abstract Set<String> tableNames();

  /**
   * Lists the columns of a table.
   *
   * @param table the table's name
   * @return column names, lower case; empty when the table does not exist
   */
  public abstract Set<String> columnNames(String table);

  /**
   * Lists the indexes on a table, including the primary key's.
   *
   * @param table the table's name
   * @return index names, lower case; empty when the table does not exist
   */
  public abstract Set<String> indexNames(String table);

  /**
   * Returns the DDL of the session table as it was before the {@code user_id} column existed (the
   * shape tower-sessions created in this dialect).
   *
   * @return a {@code CREATE TABLE bodhi_sessions} statement
   */
  public abstract String legacySessionTableDdl();

  /**
   * Makes the database refuse, with an error, every insert or update of a session row whose user is
   * {@code user}, until the returned handle is closed: a database failure in the middle of a
   * multi-row write.
   *
   * @param user the user whose rows are refused
   * @return closes the refusal
   */
  public AutoCloseable refuseWritesOfUser(String user) {
    return refuse(
        "writes", List.of("INSERT", "UPDATE"), "NEW.user_id = '" + user.replace("'", "''") + "'");
  }

  /**
   * Makes the database refuse, with an error, the update that seals one legacy row (an update that
   * changes the row's key away from the id), until the returned handle is closed: the sealing
   * migration failing half-way.
   *
   * @param legacyId the id the legacy row is keyed by
   * @return closes the refusal
   */
  public AutoCloseable refuseSealingOf(SessionId legacyId) {
    return refuse(
        "sealing", List.of("UPDATE"), "OLD.id = '" + legacyId.value() + "' AND NEW.id <> OLD.id");
  }

  /**
   * Installs the backend's triggers that fail the statements {@code events} on a session row for
   * which {@code condition} holds, with the error "{@code what} refused by the test".
   *
   * @param what a name for the refusal: part of the triggers' names and of the error
   * @param events {@code INSERT}, {@code UPDATE}
   * @param condition an SQL condition over {@code NEW} and {@code OLD}, as both backends write it
   * @return drops the triggers
   */
  protected abstract AutoCloseable refuse(String what, List<String> events, String condition);

  /**
   * Returns the SQL that turns one parameter, an instant as epoch milliseconds, into a value of
   * this backend's {@code expiry_date} column. The kit binds every expiry as that number and lets
   * the database convert it, so it holds no copy of a backend's expiry binding.
   *
   * @return an SQL expression with one {@code ?}
   */
  protected abstract String expiryFromEpochMillis();

  /**
   * Creates the legacy session table (see {@link #legacySessionTableDdl()}) holding one row.
   *
   * @param id the row's id
   * @param json the row's data, a JSON object
   * @param expiry the row's expiry
   */
  public void createLegacySessionTable(SessionId id, String json, Instant expiry) {
    execute(legacySessionTableDdl());
    insertSessionRow(id, json.getBytes(StandardCharsets.UTF_8), expiry);
  }

  /**
   * Inserts a session row behind the store's back, with the id as its key and only the columns
   * every version of the table has, as the store kept sessions before sealing: a legacy row, which
   * the sealing migration seals.
   *
   * @param id the row's id
   * @param data the row's {@code data} column, as stored
   * @param expiry the row's expiry
   */
  public void insertSessionRow(SessionId id, byte[] data, Instant expiry) {
    execute(
        "INSERT INTO bodhi_sessions (id, data, expiry_date) VALUES (?, ?, "
            + expiryFromEpochMillis()
            + ")",
        id.value(),
        data,
        expiry.toEpochMilli());
  }

  /**
   * Runs one statement with string, number or byte-array parameters.
   *
   * @param sql the statement, with {@code ?} placeholders
   * @param params the parameters
   * @return the update count
   */
  public int execute(String sql, Object... params) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      statement.execute();
      return Math.max(statement.getUpdateCount(), 0);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run: " + sql, e);
    }
  }

  /**
   * Runs a query and returns its first column as strings, SQL NULL as {@code null}.
   *
   * @param sql the query, with {@code ?} placeholders
   * @param params the parameters
   * @return one entry per row, in the query's order
   */
  public List<String> queryStrings(String sql, Object... params) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      List<String> values = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getString(1));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run: " + sql, e);
    }
  }

  /**
   * Reads every column of every row of the session table as bytes, bypassing the store: what
   * someone holding a copy of the table holds. Binary columns come as stored; any other column as
   * the UTF-8 bytes of its text form; SQL NULL as no entry.
   *
   * @return one entry per non-null cell
   */
  public List<byte[]> sessionTableCells() {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT * FROM bodhi_sessions");
        ResultSet rows = statement.executeQuery()) {
      int columns = rows.getMetaData().getColumnCount();
      List<byte[]> cells = new ArrayList<>();
      while (rows.next()) {
        for (int i = 1; i <= columns; i++) {
          int type = rows.getMetaData().getColumnType(i);
          byte[] cell =
              type == java.sql.Types.BLOB
                      || type == java.sql.Types.BINARY
                      || type == java.sql.Types.VARBINARY
                      || type == java.sql.Types.LONGVARBINARY
                  ? rows.getBytes(i)
                  : Optional.ofNullable(rows.getString(i))
                      .map(text -> text.getBytes(StandardCharsets.UTF_8))
                      .orElse(null);
          if (cell != null) {
            cells.add(cell);
          }
        }
      }
      return cells;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the session table", e);
    }
  }

  /**
   * Reads the {@code data} column of one session row, bypassing the store.
   *
   * @param ref the row's key
   * @return the bytes as stored
   * @throws IllegalStateException when there is no row with that key
   */
  public byte[] dataColumn(SessionRef ref) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT data FROM bodhi_sessions WHERE id = ?")) {
      statement.setString(1, ref.value());
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("No session row has this key");
        }
        return rows.getBytes(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read a session row", e);
    }
  }

  /**
   * Inserts legacy session rows (see {@link #insertSessionRow}) in one transaction: a large legacy
   * table in a moment.
   *
   * @param rows each id with its JSON data
   * @param expiry every row's expiry
   */
  public void insertSessionRows(Map<SessionId, String> rows, Instant expiry) {
    String sql =
        "INSERT INTO bodhi_sessions (id, data, expiry_date) VALUES (?, ?, "
            + expiryFromEpochMillis()
            + ")";
    try (Connection connection = dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (Map.Entry<SessionId, String> row : rows.entrySet()) {
          bind(
              statement,
              row.getKey().value(),
              row.getValue().getBytes(StandardCharsets.UTF_8),
              expiry.toEpochMilli());
          statement.addBatch();
        }
        statement.executeBatch();
        connection.commit();
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not insert legacy rows", e);
    }
  }

  /**
   * Runs a query that returns one number, such as {@code SELECT count(*) ...}.
   *
   * @param sql the query, with {@code ?} placeholders
   * @param params the parameters
   * @return the first column of the first row
   */
  public long queryLong(String sql, Object... params) {
    List<String> values = queryStrings(sql, params);
    if (values.size() != 1 || values.get(0) == null) {
      throw new IllegalStateException("Expected one number from: " + sql + ", got " + values);
    }
    return Long.parseLong(values.get(0));
  }

  /**
   * Counts the rows of the session table, expired ones included, bypassing the store.
   *
   * @return the number of rows in {@code bodhi_sessions}
   */
  public long sessionRowCount() {
    return queryLong("SELECT count(*) FROM bodhi_sessions");
  }

  /**
   * Reads the {@code user_id} column of one session row, bypassing the store.
   *
   * @param ref the session's row key ({@code store.refOf(id)}): the table holds no ids
   * @return the column value, {@code null} for SQL NULL
   * @throws IllegalStateException when there is no row with that key
   */
  public String userIdColumn(SessionRef ref) {
    List<String> values =
        queryStrings("SELECT user_id FROM bodhi_sessions WHERE id = ?", ref.value());
    if (values.size() != 1) {
      throw new IllegalStateException("Expected one session row, found " + values.size());
    }
    return values.get(0);
  }

  /**
   * Runs a query and returns its first column as a set of lower-case names.
   *
   * @param sql the query, with {@code ?} placeholders
   * @param params the parameters
   * @return the names, in the query's order
   */
  protected Set<String> lowerCaseSet(String sql, Object... params) {
    Set<String> names = new LinkedHashSet<>();
    for (String value : queryStrings(sql, params)) {
      names.add(value.toLowerCase(java.util.Locale.ROOT));
    }
    return names;
  }

  private static void bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object param = params[i];
      if (param instanceof byte[] bytes) {
        statement.setBytes(i + 1, bytes);
      } else {
        statement.setObject(i + 1, param);
      }
    }
  }

  /** Removes the database and closes the pool of {@link #dataSource()}. */
  @Override
  public abstract void close();
}

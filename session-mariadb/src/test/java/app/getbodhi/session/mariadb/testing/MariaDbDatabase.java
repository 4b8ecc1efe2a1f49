package app.getbodhi.session.mariadb.testing;

import app.getbodhi.session.mariadb.internal.MariaDbSessionSettings;
import app.getbodhi.session.mariadb.internal.MariaDbUrl;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;

/**
 * One fresh, empty MariaDB database for a test, made by {@link MariaDbFixture#freshDatabase()},
 * with raw JDBC access for checks a store's API cannot make. {@link #close()} drops it.
 *
 * <p>Shaped to become a {@code session-tck} {@code TestDatabase} once the backend exists: it then
 * extends {@code TestDatabase("mariadb")}, passes its pool to {@code keepPool}, and the methods
 * below become the overrides of {@code url()}, {@code tableNames()}, {@code columnNames(String)},
 * {@code indexNames(String)}, {@code legacySessionTableDdl()}, {@code refuse(String, List, String)}
 * (the triggers behind {@code refuseWritesOfUser} and {@code refuseSealingOf}) and {@code
 * expiryFromEpochMillis()}; {@code execute} and {@code queryStrings} come from the base class then.
 */
public final class MariaDbDatabase implements AutoCloseable {

  private final MariaDbServer server;
  private final String name;
  private final HikariDataSource pool;

  MariaDbDatabase(MariaDbServer server, String name) {
    this.server = server;
    this.name = name;
    MariaDbUrl parsed = MariaDbUrl.parse(url());
    HikariConfig config = new HikariConfig();
    config.setPoolName("bodhi-test-" + name);
    config.setJdbcUrl(parsed.jdbcUrl());
    config.setDataSourceProperties(withSessionSettings(parsed.properties()));
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    this.pool = new HikariDataSource(config);
  }

  private static Properties withSessionSettings(Properties properties) {
    properties.putAll(MariaDbSessionSettings.driverProperties());
    return properties;
  }

  /**
   * Returns the database's name.
   *
   * @return {@code t_} followed by hex digits
   */
  public String name() {
    return name;
  }

  /**
   * Returns the URL a backend opens this database with.
   *
   * @return a {@code mariadb://root@127.0.0.1:PORT/t_...} URL (or the configured server's, with its
   *     password)
   */
  public String url() {
    return server.urlFor(name);
  }

  /**
   * Returns a small pool on this database for raw checks, whose connections have the store's
   * session settings ({@link MariaDbSessionSettings}); the database owns and closes it.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * Opens a connection with the driver's defaults only, none of the store's session settings: to
   * see what the server does on its own.
   *
   * @return a new connection, which the caller closes
   * @throws SQLException when the server cannot be reached
   */
  public Connection connectWithDriverDefaults() throws SQLException {
    MariaDbUrl parsed = MariaDbUrl.parse(url());
    return DriverManager.getConnection(parsed.jdbcUrl(), parsed.properties());
  }

  /**
   * Lists the tables of this database.
   *
   * @return table names, lower case
   */
  public Set<String> tableNames() {
    return lowerCaseSet(
        "SELECT table_name FROM information_schema.tables"
            + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
        name);
  }

  /**
   * Lists the columns of a table.
   *
   * @param table the table's name
   * @return column names, lower case, in the table's order; empty when there is no such table
   */
  public Set<String> columnNames(String table) {
    return lowerCaseSet(
        "SELECT column_name FROM information_schema.columns"
            + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        name,
        table);
  }

  /**
   * Lists the indexes on a table, the primary key's ({@code primary}) included.
   *
   * @param table the table's name
   * @return index names, lower case
   */
  public Set<String> indexNames(String table) {
    return lowerCaseSet(
        "SELECT DISTINCT index_name FROM information_schema.statistics"
            + " WHERE table_schema = ? AND table_name = ? ORDER BY index_name",
        name,
        table);
  }

  /**
   * Returns the DDL of a session table made before this project: MariaDB has no legacy of its own,
   * so this is the shape tower-sessions' MySQL store creates, which the migration must refuse to
   * adopt rather than silently keep.
   *
   * @return a {@code CREATE TABLE bodhi_sessions} statement
   */
  public String legacySessionTableDdl() {
    return "CREATE TABLE bodhi_sessions ("
        + " id CHAR(22) PRIMARY KEY NOT NULL,"
        + " data BLOB NOT NULL,"
        + " expiry_date TIMESTAMP(6) NOT NULL)";
  }

  /**
   * Installs triggers that fail the statements {@code events} on a session row for which {@code
   * condition} holds, with the error "{@code what} refused by the test". MariaDB has one trigger
   * per event, and a trigger fails a statement with {@code SIGNAL}.
   *
   * @param what a name for the refusal: part of the triggers' names and of the error
   * @param events {@code INSERT}, {@code UPDATE}
   * @param condition an SQL condition over {@code NEW} and {@code OLD}
   * @return drops the triggers
   */
  public AutoCloseable refuse(String what, List<String> events, String condition) {
    List<String> triggers = new ArrayList<>();
    for (String event : events) {
      String trigger = "bodhi_test_refuse_" + what + "_" + event.toLowerCase(Locale.ROOT);
      execute(
          "CREATE TRIGGER "
              + trigger
              + " BEFORE "
              + event
              + " ON bodhi_sessions FOR EACH ROW BEGIN IF "
              + condition
              + " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '"
              + what
              + " refused by the test'; END IF; END");
      triggers.add(trigger);
    }
    return () -> {
      for (String trigger : triggers) {
        execute("DROP TRIGGER IF EXISTS " + trigger);
      }
    };
  }

  /**
   * Returns the SQL that turns epoch milliseconds into a {@code DATETIME(3)} in UTC. Not {@code
   * FROM_UNIXTIME}, whose result is in the session's time zone.
   *
   * @return an SQL expression with one {@code ?}
   */
  public String expiryFromEpochMillis() {
    return "TIMESTAMPADD(MICROSECOND, ? * 1000, TIMESTAMP'1970-01-01 00:00:00')";
  }

  /**
   * Runs one statement with parameters, bound with {@code setObject} (byte arrays with {@code
   * setBytes}).
   *
   * @param sql the statement, with {@code ?} placeholders
   * @param params the parameters
   * @return the update count
   */
  public int execute(String sql, Object... params) {
    try (Connection connection = pool.getConnection();
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
    try (Connection connection = pool.getConnection();
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

  private Set<String> lowerCaseSet(String sql, Object... params) {
    Set<String> names = new LinkedHashSet<>();
    for (String value : queryStrings(sql, params)) {
      names.add(value.toLowerCase(Locale.ROOT));
    }
    return names;
  }

  private static void bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      if (params[i] instanceof byte[] bytes) {
        statement.setBytes(i + 1, bytes);
      } else {
        statement.setObject(i + 1, params[i]);
      }
    }
  }

  /** Closes the pool and drops the database. */
  @Override
  public void close() {
    pool.close();
    server.executeAdmin("DROP DATABASE IF EXISTS " + name);
  }

  @Override
  public String toString() {
    return "MariaDbDatabase[" + name + " on " + server + "]";
  }
}

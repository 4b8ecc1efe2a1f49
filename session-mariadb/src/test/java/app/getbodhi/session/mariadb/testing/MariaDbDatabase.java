package app.getbodhi.session.mariadb.testing;

import app.getbodhi.session.mariadb.internal.MariaDbSessionSettings;
import app.getbodhi.session.mariadb.internal.MariaDbUrl;
import app.getbodhi.session.tck.InformationSchemaDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;

/**
 * One fresh, empty MariaDB database for a test, made by {@link MariaDbFixture#freshDatabase()}: the
 * store contract kit's {@link InformationSchemaDatabase} for this backend, with raw JDBC access for
 * checks a store's API cannot make. {@link #close()} drops it.
 */
public final class MariaDbDatabase extends InformationSchemaDatabase {

  private final MariaDbServer server;
  private final String name;
  private final HikariDataSource pool;

  MariaDbDatabase(MariaDbServer server, String name) {
    super("mariadb");
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
  @Override
  public String url() {
    return server.urlFor(name);
  }

  /**
   * Returns a small pool on this database for raw checks, whose connections have the store's
   * session settings ({@link MariaDbSessionSettings}); the database owns and closes it.
   *
   * @return the data source
   */
  @Override
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
   * Lists the indexes on a table, the primary key's ({@code primary}) included.
   *
   * @param table the table's name
   * @return index names, lower case
   */
  @Override
  public Set<String> indexNames(String table) {
    return lowerCaseSet(
        "SELECT DISTINCT index_name FROM information_schema.statistics"
            + " WHERE table_schema = ? AND table_name = ? ORDER BY index_name",
        name,
        table);
  }

  /**
   * Returns the DDL of the session table as V1 creates it, before V2 adds {@code user_id}: the
   * legacy shape the migrations adopt and bring up to date, keeping its rows.
   *
   * @return a {@code CREATE TABLE bodhi_sessions} statement
   */
  @Override
  public String legacySessionTableDdl() {
    return "CREATE TABLE bodhi_sessions ("
        + " id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,"
        + " data LONGBLOB NOT NULL,"
        + " expiry_date DATETIME(3) NOT NULL"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
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
  @Override
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
   * Returns the SQL that turns epoch milliseconds into a {@code DATETIME(3)} in UTC: the epoch as a
   * literal plus that many microseconds, exact to the millisecond and the same in any session time
   * zone. Not {@code FROM_UNIXTIME(? / 1000.0)}, whose result is in the session's time zone: it
   * would be right on this fixture's connections, whose {@code time_zone} is {@code '+00:00'}, and
   * wrong on any other.
   *
   * @return an SQL expression with one {@code ?}
   */
  @Override
  public String expiryFromEpochMillis() {
    return "TIMESTAMPADD(MICROSECOND, ? * 1000, TIMESTAMP'1970-01-01 00:00:00')";
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

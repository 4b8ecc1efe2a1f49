package app.getbodhi.session.tck;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A fresh, empty PostgreSQL schema for one test, made by {@link PostgresFixture#freshSchema()}.
 * {@link #url()} points a store at it with {@code currentSchema}, so everything the store creates
 * lands in it; {@link #close()} drops it with everything in it.
 */
public final class PostgresSchema extends TestDatabase {

  private final PostgresFixture server;
  private final String name;
  private final HikariDataSource dataSource;

  PostgresSchema(PostgresFixture server, String name) {
    this.server = server;
    this.name = name;
    HikariConfig config = new HikariConfig();
    config.setPoolName("tck-pg-raw-" + name);
    config.setJdbcUrl(jdbcUrl());
    if (server.user() != null) {
      config.setUsername(server.user());
    }
    if (server.password() != null) {
      config.setPassword(server.password());
    }
    // PgSessionStore.migrate() on a caller's data source holds three connections at once
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1);
    this.dataSource = new HikariDataSource(config);
  }

  /**
   * Returns the schema's name.
   *
   * @return {@code t_} followed by hex digits
   */
  public String name() {
    return name;
  }

  /**
   * Returns the server this schema lives on.
   *
   * @return the fixture
   */
  public PostgresFixture server() {
    return server;
  }

  /** Returns the server's URL with {@code currentSchema} set to this schema. */
  @Override
  public String url() {
    return PostgresFixture.withParameter(server.serverUrl(), "currentSchema=" + name);
  }

  /**
   * Returns the JDBC form of {@link #url()}, without user and password.
   *
   * @return a {@code jdbc:postgresql://} URL
   */
  public String jdbcUrl() {
    return PostgresFixture.withParameter(server.jdbcUrl(), "currentSchema=" + name);
  }

  @Override
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public String backendName() {
    return "postgres";
  }

  @Override
  public Set<String> tableNames() {
    return lowerCaseSet(
        "SELECT table_name FROM information_schema.tables"
            + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
        name);
  }

  @Override
  public Set<String> columnNames(String table) {
    return lowerCaseSet(
        "SELECT column_name FROM information_schema.columns"
            + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        name,
        table);
  }

  @Override
  public Set<String> indexNames(String table) {
    return lowerCaseSet(
        "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ? ORDER BY indexname",
        name,
        table);
  }

  @Override
  public String legacySessionTableDdl() {
    return "CREATE TABLE bodhi_sessions ("
        + " id TEXT PRIMARY KEY NOT NULL,"
        + " data BYTEA NOT NULL,"
        + " expiry_date TIMESTAMPTZ NOT NULL)";
  }

  @Override
  public AutoCloseable refuseWritesOfUser(String user) {
    execute(
        "CREATE FUNCTION bodhi_test_refuse_writes() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN RAISE EXCEPTION 'writes refused by the test'; END $$");
    execute(
        "CREATE TRIGGER bodhi_test_refuse_writes BEFORE INSERT OR UPDATE ON bodhi_sessions"
            + " FOR EACH ROW WHEN (NEW.user_id = '"
            + user.replace("'", "''")
            + "') EXECUTE FUNCTION bodhi_test_refuse_writes()");
    return () -> execute("DROP FUNCTION bodhi_test_refuse_writes() CASCADE");
  }

  @Override
  protected void bindExpiry(PreparedStatement statement, int index, Instant expiry)
      throws SQLException {
    statement.setObject(index, expiry.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
  }

  /** Closes the raw pool and drops the schema. */
  @Override
  public void close() {
    dataSource.close();
    server.executeAdmin("DROP SCHEMA IF EXISTS " + name + " CASCADE");
  }

  @Override
  public String toString() {
    return "PostgresSchema[" + name + " on " + server + "]";
  }
}

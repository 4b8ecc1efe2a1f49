package app.getbodhi.session.postgres.testing;

import app.getbodhi.session.tck.InformationSchemaDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A fresh, empty PostgreSQL schema for one test, made by {@link PostgresFixture#freshSchema()}.
 * {@link #url()} points a store at it with {@code currentSchema}, so everything the store creates
 * lands in it; {@link #close()} drops it with everything in it.
 */
public final class PostgresSchema extends InformationSchemaDatabase {

  private final PostgresFixture server;
  private final String name;
  private final List<String> roles = new ArrayList<>();
  private final HikariDataSource pool;

  PostgresSchema(PostgresFixture server, String name) {
    super("postgres");
    this.server = server;
    this.name = name;
    // PgSessionStore.migrate() on a caller's data source holds three connections at once
    this.pool = server.open(url(), 4);
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
   * Returns the JDBC form of {@link #url()}, without user and password, as the backend read it.
   *
   * @return a {@code jdbc:postgresql://} URL
   */
  public String jdbcUrl() {
    return PostgresFixture.withParameter(server.jdbcUrl(), "currentSchema=" + name);
  }

  /**
   * Creates a login role with a password of the test's choosing, allowed to use this schema and to
   * create tables in it, and returns a URL that connects as that role to this schema. {@link
   * #close()} drops the role after the schema. For tests of how user names and passwords travel:
   * the server's own credentials may be weak or shared, a test's role has what the test needs.
   *
   * @param role the role's name, any characters
   * @param password the role's password, any characters
   * @return a {@code postgres://} URL with user and password percent-encoded
   */
  public synchronized String urlForNewRole(String role, String password) {
    String quoted = "\"" + role.replace("\"", "\"\"") + "\"";
    // the statement holds the password, so a failure shows only the role's name
    server.executeAdmin(
        "CREATE ROLE " + quoted + " LOGIN PASSWORD '" + password.replace("'", "''") + "'",
        "CREATE ROLE " + quoted);
    roles.add(quoted);
    server.executeAdmin("GRANT USAGE, CREATE ON SCHEMA " + name + " TO " + quoted);
    return PostgresFixture.withParameter(server.urlAs(role, password), "currentSchema=" + name);
  }

  @Override
  public DataSource dataSource() {
    return pool;
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
  protected AutoCloseable refuse(String what, List<String> events, String condition) {
    String function = "bodhi_test_refuse_" + what + "()";
    execute(
        "CREATE FUNCTION "
            + function
            + " RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '"
            + what
            + " refused by the test'; END $$");
    execute(
        "CREATE TRIGGER bodhi_test_refuse_"
            + what
            + " BEFORE "
            + String.join(" OR ", events)
            + " ON bodhi_sessions FOR EACH ROW WHEN ("
            + condition
            + ") EXECUTE FUNCTION "
            + function);
    return () -> execute("DROP FUNCTION " + function + " CASCADE");
  }

  /** {@code TIMESTAMPTZ}: the epoch plus that many milliseconds, exact to the millisecond. */
  @Override
  protected String expiryFromEpochMillis() {
    return "(TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 millisecond')";
  }

  /**
   * Closes the raw pool and drops the schema, then the roles made for it (a role that owns tables
   * cannot be dropped before them).
   */
  @Override
  public synchronized void close() {
    pool.close();
    server.executeAdmin("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    for (String role : roles) {
      server.executeAdmin("DROP ROLE IF EXISTS " + role);
    }
  }

  @Override
  public String toString() {
    return "PostgresSchema[" + name + " on " + server + "]";
  }
}

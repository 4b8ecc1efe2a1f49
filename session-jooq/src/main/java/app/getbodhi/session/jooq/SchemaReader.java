package app.getbodhi.session.jooq;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.countDistinct;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.table;

import app.getbodhi.session.jooq.internal.SessionTable;
import app.getbodhi.session.jooq.internal.Statements;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import app.getbodhi.session.spi.StoreInspection.SessionCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * What a backend's read-only inspection reports, read from the database itself: the schema version
 * from the Flyway history table and the session counts, turned into the {@link StoreInspection} of
 * {@link app.getbodhi.session.spi.SessionStoreProvider#inspect}. It only ever sends {@code
 * SELECT}s, over a connection the backend opened (read-only, without creating anything); written
 * once here so that every backend judges expiry and versions alike and report in the same shape.
 *
 * @param profile the backend inspected
 */
public record SchemaReader(SqlBackendProfile profile) {

  /** How long one query of an inspection may take: 30 seconds, room for counting a large table. */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

  /** Checks the components. */
  public SchemaReader {
    Objects.requireNonNull(profile, "profile");
  }

  /**
   * Reads the schema version and, when the session table is there, the counts as of {@code now}, of
   * a database that was found.
   *
   * @param url the URL inspected, as given
   * @param connection where to read; left open
   * @param now the instant that separates live from expired sessions
   * @param problems what the backend found wrong so far
   * @return the inspection; version and counts are empty when the schema was never created
   * @throws SQLException when the database cannot be read
   */
  public StoreInspection found(
      String url, Connection connection, Instant now, List<String> problems) throws SQLException {
    return found(url, connection, now, problems, Optional.empty());
  }

  /**
   * Reads the schema version and, when the session table is there, the counts as of {@code now}, of
   * a database on a server.
   *
   * @param url the URL inspected, as given
   * @param connection where to read; left open
   * @param now the instant that separates live from expired sessions
   * @param problems what the backend found wrong so far
   * @param server the server that answered, as {@link StoreInspection#server()} shows it
   * @return the inspection; version and counts are empty when the schema was never created
   * @throws SQLException when the database cannot be read
   */
  public StoreInspection found(
      String url,
      Connection connection,
      Instant now,
      List<String> problems,
      Optional<String> server)
      throws SQLException {
    DSLContext dsl = DSL.using(profile.dialect(), Statements.renderSettings());
    Optional<String> version =
        tableExists(connection, dsl, SessionTable.SCHEMA_HISTORY_TABLE)
            ? schemaVersion(connection, dsl)
            : Optional.empty();
    Optional<SessionCounts> sessions =
        version.isEmpty() ? Optional.empty() : Optional.of(counts(connection, dsl, now));
    return new StoreInspection(
        profile.backendName(), url, Database.FOUND, version, sessions, problems, server);
  }

  /**
   * Reports a database that was not read: missing, in memory, or unreadable.
   *
   * @param url the URL inspected, as given
   * @param database what was found
   * @param problems why it was not read, or what else is wrong
   * @return the inspection, without version and counts
   */
  public StoreInspection unread(String url, Database database, List<String> problems) {
    return new StoreInspection(
        profile.backendName(), url, database, Optional.empty(), Optional.empty(), problems);
  }

  /**
   * Says why a server's database could not be inspected, in the words both server backends use: a
   * database that does not exist, a login the server refused, a server that did not answer within
   * the connection timeout, or another failure. Only the first line of the driver's message is
   * kept, which never quotes row values.
   *
   * @param database the database's name, such as {@code PostgreSQL}
   * @param redactedUrl the URL as messages show it
   * @param e the failure
   * @param missingDatabase whether the failure says the URL's database does not exist
   * @param connectTimeout how long connecting was allowed to take
   * @return one problem, a sentence that says what to do
   */
  public static String connectionProblem(
      String database,
      String redactedUrl,
      SQLException e,
      boolean missingDatabase,
      Duration connectTimeout) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = "the " + database + " session database " + redactedUrl;
    String reason = DriverMessages.firstLine(e);
    if (missingDatabase) {
      return "The database of "
          + where
          + " does not exist: "
          + reason
          + " Create it (CREATE DATABASE); migrate creates the session table, not the database.";
    }
    if (state.startsWith("28")) {
      return "The server refused the login to "
          + where
          + ": "
          + reason
          + " Check the user name and password.";
    }
    if (state.startsWith("08") || state.isEmpty()) {
      return "Could not connect to "
          + where
          + " within "
          + connectTimeout.toSeconds()
          + " s: "
          + reason
          + " Check that the server is running and reachable.";
    }
    return "Could not read " + where + ": " + reason;
  }

  private Optional<String> schemaVersion(Connection connection, DSLContext dsl)
      throws SQLException {
    Field<String> version = field(name("version"), SQLDataType.VARCHAR);
    Field<Boolean> success = field(name("success"), SQLDataType.BOOLEAN);
    String sql =
        dsl.render(
            dsl.select(version, success)
                .from(table(name(SessionTable.SCHEMA_HISTORY_TABLE)))
                .orderBy(field(name("installed_rank")).desc()));
    try (PreparedStatement statement = prepare(connection, sql);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        // the latest migration that succeeded; a failed one is kept in the history too
        if (rows.getBoolean(2) && rows.getString(1) != null) {
          return Optional.of(rows.getString(1));
        }
      }
    }
    return Optional.empty();
  }

  private SessionCounts counts(Connection connection, DSLContext dsl, Instant now)
      throws SQLException {
    Field<Object> expiryDate = field(name("expiry_date"), profile.expiry().dataType());
    String sql =
        dsl.render(
            dsl.select(
                    count().filterWhere(expiryDate.gt(param("now", profile.expiry().dataType()))),
                    count().filterWhere(expiryDate.le(param("now", profile.expiry().dataType()))),
                    countDistinct(SessionTable.USER_ID)
                        .filterWhere(expiryDate.gt(param("now", profile.expiry().dataType()))))
                .from(SessionTable.SESSIONS));
    try (PreparedStatement statement = prepare(connection, sql)) {
      for (int index = 1; index <= 3; index++) {
        profile.expiry().bind(statement, index, now);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return new SessionCounts(rows.getLong(1), rows.getLong(2), rows.getLong(3));
      }
    }
  }

  /**
   * Asks for no row of the table: works in the connection's current schema (PostgreSQL's {@code
   * search_path}), which is where the store finds its tables too.
   */
  private boolean tableExists(Connection connection, DSLContext dsl, String table)
      throws SQLException {
    String sql = dsl.render(dsl.select(inline(1)).from(table(name(table))).where(falseCondition()));
    try (PreparedStatement statement = prepare(connection, sql)) {
      statement.executeQuery().close();
      return true;
    } catch (SQLException e) {
      if (isUndefinedTable(e)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean isUndefinedTable(SQLException e) {
    // PostgreSQL: SQLState 42P01; MariaDB: 42S02; SQLite names no state, only the message
    return "42P01".equals(e.getSQLState())
        || "42S02".equals(e.getSQLState())
        || String.valueOf(e.getMessage()).contains("no such table");
  }

  private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.setQueryTimeout((int) QUERY_TIMEOUT.toSeconds());
    return statement;
  }
}

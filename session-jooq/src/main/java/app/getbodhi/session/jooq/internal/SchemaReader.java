package app.getbodhi.session.jooq.internal;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.countDistinct;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.table;

import app.getbodhi.session.jooq.SqlBackendProfile;
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
 * once here so that both backends judge expiry and versions alike and report in the same shape.
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
    DSLContext dsl = DSL.using(profile.dialect(), Statements.renderSettings());
    Optional<String> version =
        tableExists(connection, dsl, SessionTable.SCHEMA_HISTORY_TABLE)
            ? schemaVersion(connection, dsl)
            : Optional.empty();
    Optional<SessionCounts> sessions =
        version.isEmpty() ? Optional.empty() : Optional.of(counts(connection, dsl, now));
    return new StoreInspection(
        profile.backendName(), url, Database.FOUND, version, sessions, problems);
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
    // 42S02 is the standard "base table or view not found" (MariaDB's); PostgreSQL has its own
    // 42P01; SQLite names no state, only the message
    return "42S02".equals(e.getSQLState())
        || "42P01".equals(e.getSQLState())
        || String.valueOf(e.getMessage()).contains("no such table");
  }

  private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.setQueryTimeout((int) QUERY_TIMEOUT.toSeconds());
    return statement;
  }
}

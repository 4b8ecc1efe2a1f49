package app.getbodhi.session.cli;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.JooqSessionStore;
import app.getbodhi.session.postgres.internal.PgUrl;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.sqlite.internal.SqliteUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;
import org.sqlite.SQLiteConfig;

/**
 * A read-only look at a session database over a connection of its own: the schema version from
 * Flyway's history table and the session counts, for {@code doctor} and {@code migrate}.
 *
 * <p>Why not through the store: {@link app.getbodhi.session.ManagedSessionStore} has no schema
 * version and no counts over all sessions, and opening a store migrates it, which a diagnosis must
 * not do. So this reads the two backends' tables directly, with their URL parsers; it knows the
 * {@code sqlite} and {@code postgres} backends only.
 */
final class SchemaProbe {

  /** How long a PostgreSQL connection attempt may take, in seconds. */
  static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** How long one query may take, in seconds. */
  static final int QUERY_TIMEOUT_SECONDS = 30;

  private static final String HISTORY = JooqSessionStore.SCHEMA_HISTORY_TABLE;

  private SchemaProbe() {}

  /** What a look found. */
  enum State {
    /** The schema exists: version and counts are known. */
    MIGRATED,
    /** The database is reachable but the session schema has not been created yet. */
    NOT_MIGRATED,
    /** A SQLite file that does not exist yet. */
    NO_DATABASE_FILE,
    /** An in-memory SQLite database: it lives inside one process and cannot be looked at. */
    IN_MEMORY,
    /** A backend this probe does not know. */
    UNKNOWN_BACKEND
  }

  /**
   * The sessions in the table.
   *
   * @param stored every row, expired ones included
   * @param live the rows that have not expired
   * @param liveUsers the distinct users with a live session
   */
  record Counts(long stored, long live, long liveUsers) {}

  /**
   * What a look found.
   *
   * @param state how far it got
   * @param schemaVersion the latest successfully applied migration, when the schema exists
   * @param counts the session counts, when the schema exists
   */
  record Inspection(State state, Optional<String> schemaVersion, Optional<Counts> counts) {
    static Inspection only(State state) {
      return new Inspection(state, Optional.empty(), Optional.empty());
    }
  }

  /**
   * Looks at the database a URL names, without changing it.
   *
   * @param backend the backend's name, as the provider that accepts the URL gives it
   * @param url the session database URL
   * @return what was found
   * @throws SessionServiceException of kind CONFIGURATION for a malformed URL, DATABASE when the
   *     database cannot be reached or read
   */
  static Inspection inspect(String backend, String url) {
    return switch (backend) {
      case "sqlite" -> inspectSqlite(url);
      case "postgres" -> inspectPostgres(url);
      default -> Inspection.only(State.UNKNOWN_BACKEND);
    };
  }

  private static Inspection inspectSqlite(String url) {
    SqliteUrl parsed = SqliteUrl.parse(url);
    String jdbcUrl;
    if (parsed.file().isPresent()) {
      Path file = parsed.file().get();
      if (!Files.exists(file)) {
        return Inspection.only(State.NO_DATABASE_FILE);
      }
      jdbcUrl = "jdbc:sqlite:" + file;
    } else if (isInMemory(parsed.jdbcUrl())) {
      return Inspection.only(State.IN_MEMORY);
    } else {
      // a jdbc:sqlite:file:... URI, which the driver reads itself
      jdbcUrl = parsed.jdbcUrl();
    }
    SQLiteConfig config = new SQLiteConfig();
    // never create, never write: a diagnosis leaves the database as it found it
    config.setReadOnly(true);
    config.setBusyTimeout(CONNECT_TIMEOUT_SECONDS * 1000);
    try (Connection connection = config.createConnection(jdbcUrl)) {
      return inspect(connection, Instant.now(Clock.systemUTC()), false);
    } catch (SQLException e) {
      throw unreadable("sqlite", url, e);
    }
  }

  private static boolean isInMemory(String jdbcUrl) {
    String lower = jdbcUrl.toLowerCase(java.util.Locale.ROOT);
    return lower.equals("jdbc:sqlite:")
        || lower.contains(":memory:")
        || lower.contains("mode=memory");
  }

  private static Inspection inspectPostgres(String url) {
    PgUrl parsed = PgUrl.parse(url);
    Properties properties = parsed.properties();
    properties.putIfAbsent("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    properties.putIfAbsent("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("readOnly", "true");
    try (Connection connection = new Driver().connect(parsed.jdbcUrl(), properties)) {
      if (connection == null) {
        throw new SQLException("the PostgreSQL driver does not accept the URL");
      }
      return inspect(connection, Instant.now(Clock.systemUTC()), true);
    } catch (SQLException e) {
      throw unreadable("postgres", url, e);
    }
  }

  private static Inspection inspect(Connection connection, Instant now, boolean timestamps)
      throws SQLException {
    Optional<String> version = schemaVersion(connection);
    if (version.isEmpty()) {
      return Inspection.only(State.NOT_MIGRATED);
    }
    long stored = count(connection, "SELECT COUNT(*) FROM bodhi_sessions", null, timestamps);
    long live =
        count(
            connection,
            "SELECT COUNT(*) FROM bodhi_sessions WHERE expiry_date > ?",
            now,
            timestamps);
    long users =
        count(
            connection,
            "SELECT COUNT(DISTINCT user_id) FROM bodhi_sessions"
                + " WHERE user_id IS NOT NULL AND expiry_date > ?",
            now,
            timestamps);
    return new Inspection(State.MIGRATED, version, Optional.of(new Counts(stored, live, users)));
  }

  private static Optional<String> schemaVersion(Connection connection) throws SQLException {
    if (!tableExists(connection, HISTORY)) {
      return Optional.empty();
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT version, success FROM " + HISTORY + " ORDER BY installed_rank DESC")) {
      statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          if (rows.getBoolean(2) && rows.getString(1) != null) {
            return Optional.of(rows.getString(1));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean tableExists(Connection connection, String table) throws SQLException {
    // a probe query: works in the connection's current schema (PostgreSQL's search_path), which is
    // where the store itself finds its tables
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM " + table + " WHERE 1 = 0")) {
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
    String message = e.getMessage() == null ? "" : e.getMessage();
    // PostgreSQL: SQLState 42P01; SQLite: "no such table"
    return "42P01".equals(e.getSQLState()) || message.contains("no such table");
  }

  private static long count(Connection connection, String sql, Instant now, boolean timestamps)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      if (now != null) {
        // the one column whose type differs: TIMESTAMPTZ on PostgreSQL, epoch millis on SQLite
        if (timestamps) {
          statement.setObject(1, now.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
          statement.setLong(1, now.toEpochMilli());
        }
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static SessionServiceException unreadable(String backend, String url, SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    // a driver's later lines (PostgreSQL's Detail) may quote row values
    String first = newline >= 0 ? message.substring(0, newline) : message;
    return new SessionServiceException(
        SessionServiceException.Kind.DATABASE,
        "Could not read the "
            + backend
            + " session database at "
            + DatabaseUrls.redact(url)
            + ": "
            + first.strip(),
        e);
  }
}

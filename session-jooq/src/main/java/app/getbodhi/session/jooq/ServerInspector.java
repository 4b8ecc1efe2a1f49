package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A database server backend's read-only look at a URL: one unpooled connection of its own, opened
 * with a short timeout, that only reads. A malformed URL, a server that cannot be reached, a login
 * that is refused or a database that does not exist is a problem in the result, never an exception,
 * and never waits for long.
 *
 * <p>A backend extends this with how to parse its URL, how its driver says that a database does not
 * exist, the driver properties that keep the look short and read-only, and how to name the server
 * that answered:
 *
 * <pre>{@code
 * final class MyDbInspector extends ServerInspector<MyDbUrl> {
 *   MyDbInspector() {
 *     super(MyDbSessionStore.PROFILE, "MyDB", Driver.class.getName(), MyDbUrl::parse,
 *         e -> e.getErrorCode() == UNKNOWN_DATABASE);
 *   }
 *   ...
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 *
 * @param <U> the backend's URL
 */
public abstract class ServerInspector<U extends DriverUrl> {

  /** How long connecting may take before the server counts as unreachable: 5 seconds. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final SchemaReader reader;
  private final String database;
  private final String driverClassName;
  private final Function<String, U> parser;
  private final Predicate<SQLException> missingDatabase;

  /**
   * For a backend's inspector.
   *
   * @param profile the backend inspected
   * @param database the database's name in problems, such as {@code PostgreSQL}
   * @param driverClassName the JDBC driver's class
   * @param parser parses a URL as the backend's store does, throwing a {@link
   *     SessionServiceException} of kind CONFIGURATION when it is malformed
   * @param missingDatabase tells whether a failure to connect says that the URL's database does not
   *     exist, so that the problem says to create it
   */
  protected ServerInspector(
      SqlBackendProfile profile,
      String database,
      String driverClassName,
      Function<String, U> parser,
      Predicate<SQLException> missingDatabase) {
    this.reader = new SchemaReader(profile);
    this.database = Objects.requireNonNull(database, "database");
    this.driverClassName = Objects.requireNonNull(driverClassName, "driverClassName");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.missingDatabase = Objects.requireNonNull(missingDatabase, "missingDatabase");
  }

  /**
   * Inspects what a URL names, for a provider's {@code inspect}: never throws for the URL's or the
   * server's state, and gives up connecting after {@link #CONNECT_TIMEOUT}.
   *
   * @param url a session URL of the backend
   * @param clock what separates live from expired sessions
   * @return what was found; a malformed URL or a connection that fails is an {@link
   *     Database#UNREADABLE} database with one problem that never quotes the password
   */
  public final StoreInspection inspect(String url, Clock clock) {
    U parsed;
    try {
      parsed = parser.apply(url);
    } catch (SessionServiceException e) {
      return unreadable(url, e.getMessage());
    }
    Properties properties = parsed.properties();
    addDriverProperties(properties);
    try (Connection connection =
        ServerPool.unpooled(driverClassName, parsed.jdbcUrl(), properties).getConnection()) {
      connection.setReadOnly(true);
      return reader.found(
          url,
          connection,
          clock.instant(),
          problems(parsed, connection),
          Optional.of(server(parsed, connection)));
    } catch (SQLException e) {
      return unreadable(
          url,
          SchemaReader.connectionProblem(
              database, parsed.redactedUrl(), e, missingDatabase.test(e), CONNECT_TIMEOUT));
    }
  }

  /**
   * Adds the driver properties of the inspection's connection to those of the URL: the store's
   * session settings where reading depends on them, and connect and socket timeouts (from {@link
   * #CONNECT_TIMEOUT} and {@link SchemaReader#QUERY_TIMEOUT}) unless the URL sets its own.
   *
   * @param properties the URL's driver properties, to add to
   */
  protected abstract void addDriverProperties(Properties properties);

  /**
   * Names the server that answered, as {@link StoreInspection#server()} shows it, such as {@code
   * db:5432 (primary)}.
   *
   * @param url the parsed URL
   * @param connection the inspection's connection
   * @return the server's {@code host:port} and role
   * @throws SQLException when the server cannot be asked
   */
  protected abstract String server(U url, Connection connection) throws SQLException;

  /**
   * What the backend finds wrong on a server it reached, before the schema is read; none unless a
   * backend overrides this.
   *
   * @param url the parsed URL
   * @param connection the inspection's connection
   * @return problems, each a sentence that says what to do
   * @throws SQLException when the server cannot be asked
   */
  protected List<String> problems(U url, Connection connection) throws SQLException {
    return List.of();
  }

  /**
   * Runs a query of one value, within {@link SchemaReader#QUERY_TIMEOUT}, for a backend's {@link
   * #server} and {@link #problems}.
   *
   * @param connection where to ask
   * @param sql a query whose first row's first column is the answer
   * @return the answer, as the driver spells it; empty when it is SQL {@code NULL}
   * @throws SQLException when the query fails or returns no row
   */
  protected static Optional<String> queryValue(Connection connection, String sql)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) SchemaReader.QUERY_TIMEOUT.toSeconds());
      try (ResultSet rows = statement.executeQuery(sql)) {
        if (!rows.next()) {
          throw new SQLException("No row from " + sql);
        }
        return Optional.ofNullable(rows.getString(1));
      }
    }
  }

  private StoreInspection unreadable(String url, String problem) {
    return reader.unread(url, Database.UNREADABLE, List.of(problem));
  }
}

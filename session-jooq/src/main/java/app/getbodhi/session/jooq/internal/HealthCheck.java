package app.getbodhi.session.jooq.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import app.getbodhi.session.StoreHealth;
import app.getbodhi.session.jooq.DriverMessages;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * A store's health: one pooled connection, {@code SELECT 1}, then the latest successful version in
 * the schema history, each query limited to {@link #QUERY_TIMEOUT_SECONDS}. A store whose schema
 * was never migrated is down: it could not serve a session. Waiting for a connection is bounded by
 * the pool's connection timeout.
 */
public final class HealthCheck {

  /**
   * How long each query may run before the store counts as down: 5 seconds, well above the
   * milliseconds a healthy server takes, and below a probe's usual timeout.
   */
  public static final int QUERY_TIMEOUT_SECONDS = 5;

  private HealthCheck() {}

  /**
   * Checks a store.
   *
   * @param dataSource the store's connections
   * @param dialect the backend's dialect
   * @param backendName for the report
   * @return up with the schema version, or down with a reason that holds no password
   */
  public static StoreHealth check(DataSource dataSource, SQLDialect dialect, String backendName) {
    try (Connection connection = dataSource.getConnection()) {
      DSLContext dsl = DSL.using(connection, dialect, Statements.renderSettings());
      dsl.selectOne().queryTimeout(QUERY_TIMEOUT_SECONDS).fetch();
      Field<String> version = field(name("version"), SQLDataType.VARCHAR);
      Optional<String> schemaVersion;
      try {
        schemaVersion =
            dsl.select(version)
                .from(table(name(SessionTable.SCHEMA_HISTORY_TABLE)))
                .where(field(name("success"), SQLDataType.BOOLEAN).isTrue())
                .and(version.isNotNull())
                .orderBy(field(name("installed_rank"), SQLDataType.INTEGER).desc())
                .limit(inline(1))
                .queryTimeout(QUERY_TIMEOUT_SECONDS)
                .fetchOptional(version);
      } catch (DataAccessException e) {
        return StoreHealth.down(
            backendName,
            "The "
                + backendName
                + " session schema is missing or unreadable: "
                + DriverMessages.reason(e.getCause() == null ? e : e.getCause())
                + " Run `bodhi-sessions migrate`, or migrate() at start-up.");
      }
      if (schemaVersion.isEmpty()) {
        return StoreHealth.down(
            backendName,
            "The "
                + backendName
                + " session schema has no successful migration. Run `bodhi-sessions migrate`, or"
                + " migrate() at start-up.");
      }
      return StoreHealth.up(backendName, schemaVersion);
    } catch (SQLException | RuntimeException e) {
      // a driver's or the pool's message, first line only: it names the failure, never a password
      Throwable cause = e instanceof DataAccessException && e.getCause() != null ? e.getCause() : e;
      return StoreHealth.down(
          backendName,
          "Could not reach the " + backendName + " session store: " + DriverMessages.reason(cause));
    }
  }
}

package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionServiceException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a backend's Flyway migrations with the settings every backend shares.
 *
 * <ul>
 *   <li>Each backend keeps its scripts under its own package path, never {@code db/migration}, so
 *       two backends on one classpath do not see each other's scripts.
 *   <li>History lives in {@value JooqSessionStore#SCHEMA_HISTORY_TABLE}, so an application's own
 *       Flyway history is never touched.
 *   <li>A database that already holds tables (a shared application database, or a legacy {@code
 *       bodhi_sessions} table) is baselined at version 0, so every script still runs; the scripts
 *       themselves are idempotent ({@code IF NOT EXISTS}).
 * </ul>
 */
public final class SessionMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(SessionMigrations.class);

  private SessionMigrations() {}

  /**
   * Brings the schema up to date.
   *
   * @param dataSource the database
   * @param location the classpath folder of the backend's migrations, such as {@code
   *     classpath:app/getbodhi/session/sqlite/migration}
   * @param backendName for messages
   * @return the number of migrations applied; 0 when the schema was current
   * @throws SessionServiceException of kind MIGRATION when a migration fails
   */
  public static int migrate(DataSource dataSource, String location, String backendName) {
    Objects.requireNonNull(dataSource, "dataSource");
    try {
      MigrateResult result =
          Flyway.configure(SessionMigrations.class.getClassLoader())
              .dataSource(dataSource)
              .locations(location)
              .table(JooqSessionStore.SCHEMA_HISTORY_TABLE)
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .baselineDescription("bodhi-sessions baseline of an existing database")
              .validateMigrationNaming(true)
              .load()
              .migrate();
      if (result.migrationsExecuted > 0) {
        LOG.info(
            "Migrated the {} session schema to version {} ({} migrations)",
            backendName,
            result.targetSchemaVersion,
            result.migrationsExecuted);
      }
      return result.migrationsExecuted;
    } catch (FlywayException e) {
      throw new SessionServiceException(
          SessionServiceException.Kind.MIGRATION,
          "Could not migrate the "
              + backendName
              + " session schema: "
              + DriverMessages.firstLine(e)
              + " Check that the database is reachable and the user may create tables.",
          e);
    }
  }
}

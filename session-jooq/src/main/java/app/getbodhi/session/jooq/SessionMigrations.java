package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionServiceException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
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

  /**
   * Lets a sealing run that failed half-way be resumed. Flyway records a failed migration that ran
   * outside a transaction and refuses to go on until it is repaired; the sealing migration is built
   * to be rerun (it skips rows already sealed), so its failure record is removed here. Any other
   * failed migration is left for Flyway to report.
   */
  private static void forgetFailedSealing(Flyway flyway, String backendName) {
    MigrationInfo[] applied = flyway.info().applied();
    for (MigrationInfo migration : applied) {
      if (migration.getState() == MigrationState.FAILED
          && migration.getVersion() != null
          && SealingMigration.VERSION.equals(migration.getVersion().getVersion())) {
        LOG.info("Resuming the {} session sealing that stopped before it finished", backendName);
        flyway.repair();
        return;
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(SessionMigrations.class);

  private SessionMigrations() {}

  /**
   * Brings the schema up to date.
   *
   * @param dataSource the database
   * @param location the classpath folder of the backend's migrations, such as {@code
   *     classpath:app/getbodhi/session/sqlite/migration}
   * @param backendName for messages
   * @param sealing the sealing migration (version {@value SealingMigration#VERSION}), which needs
   *     the store's keys and so is handed over rather than found on the classpath
   * @return the number of migrations applied; 0 when the schema was current
   * @throws SessionServiceException of kind MIGRATION when a migration fails
   */
  public static int migrate(
      DataSource dataSource, String location, String backendName, SealingMigration sealing) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(sealing, "sealing");
    try {
      Flyway flyway =
          Flyway.configure(SessionMigrations.class.getClassLoader())
              .dataSource(dataSource)
              .locations(location)
              .javaMigrations(sealing)
              // the sealing migration commits page by page, outside Flyway's transaction
              .mixed(true)
              .table(JooqSessionStore.SCHEMA_HISTORY_TABLE)
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .baselineDescription("bodhi-sessions baseline of an existing database")
              .validateMigrationNaming(true)
              .load();
      forgetFailedSealing(flyway, backendName);
      MigrateResult result = flyway.migrate();
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

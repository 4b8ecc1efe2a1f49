package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.DriverMessages;
import app.getbodhi.session.jooq.SqlBackendProfile;
import app.getbodhi.session.jooq.SqlBackendProfile.NodeLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
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
 *   <li>History lives in {@value SessionTable#SCHEMA_HISTORY_TABLE}, so an application's own Flyway
 *       history is never touched.
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

  /**
   * How long a migration waits for another node's migration to finish: 5 minutes, enough for the
   * user index to be built over a large legacy table.
   */
  public static final Duration LOCK_TIMEOUT = Duration.ofMinutes(5);

  private SessionMigrations() {}

  /**
   * Brings the schema up to date; with a {@linkplain SqlBackendProfile#nodeLock node lock}, under
   * it, so that several nodes starting at once migrate one after the other and the later ones find
   * nothing to do (Flyway's own lock does not cover the creation of its history table).
   *
   * @param connections where the lock's connection and Flyway's come from; the lock's is held
   *     throughout, so this lends three connections at once
   * @param profile the backend
   * @param sealing the sealing migration
   * @return the number of migrations applied
   * @throws SessionServiceException of kind MIGRATION when the lock cannot be had within {@link
   *     #LOCK_TIMEOUT} or a migration fails
   */
  public static int migrate(
      DataSource connections, SqlBackendProfile profile, SealingMigration sealing) {
    if (profile.nodeLock().isEmpty()) {
      return migrate(connections, profile.migrationLocation(), profile.backendName(), sealing);
    }
    NodeLock lock = profile.nodeLock().get();
    String backend = profile.backendName();
    Connection connection;
    try {
      connection = connections.getConnection();
    } catch (SQLException e) {
      throw lockFailure(backend, "could not open a connection to take the migration lock", e);
    }
    try {
      boolean autoCommit = connection.getAutoCommit();
      if (!autoCommit) {
        // An open transaction would sit idle for the whole migration, and a server's idle-session
        // timeout would end the session and so free the lock early.
        connection.setAutoCommit(true);
      }
      try {
        if (!lock.acquire(connection, NodeLock.Purpose.MIGRATION, LOCK_TIMEOUT)) {
          throw new SessionServiceException(
              SessionServiceException.Kind.MIGRATION,
              "Timed out after "
                  + LOCK_TIMEOUT.toSeconds()
                  + " s waiting for another node to finish migrating the "
                  + backend
                  + " session schema ("
                  + lock.describe(NodeLock.Purpose.MIGRATION)
                  + "). If no node is migrating, find the session that holds it and end it.");
        }
        try {
          return migrate(connections, profile.migrationLocation(), backend, sealing);
        } finally {
          release(connection, lock, backend);
        }
      } finally {
        if (!autoCommit && !connection.isClosed()) {
          connection.setAutoCommit(false);
        }
      }
    } catch (SQLException e) {
      throw lockFailure(backend, "could not take the migration lock", e);
    } finally {
      try {
        connection.close();
      } catch (SQLException e) {
        // the migration's outcome stands; a session that ends frees its locks anyway
        LOG.warn(
            "Could not close the {} migration lock connection: {}",
            backend,
            DriverMessages.reason(e));
      }
    }
  }

  /**
   * Frees the lock and never throws, so a migration error is not hidden. If the lock cannot be
   * freed, the connection is aborted: ending the session frees the lock, whereas a pooled
   * connection returned with the lock would block every other node's migration.
   */
  private static void release(Connection connection, NodeLock lock, String backend) {
    try {
      if (lock.release(connection, NodeLock.Purpose.MIGRATION)) {
        return;
      }
      LOG.warn("The {} migration lock was not held when it was to be released", backend);
    } catch (SQLException e) {
      LOG.warn("Could not release the {} migration lock: {}", backend, DriverMessages.reason(e));
    }
    try {
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "Could not abort the {} migration lock connection: {}",
          backend,
          DriverMessages.reason(e));
    }
  }

  private static SessionServiceException lockFailure(String backend, String what, SQLException e) {
    return new SessionServiceException(
        SessionServiceException.Kind.MIGRATION,
        "Could not migrate the "
            + backend
            + " session schema: "
            + what
            + ": "
            + DriverMessages.reason(e)
            + " Check that the database is reachable and the user may create tables.",
        e);
  }

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
  private static int migrate(
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
              .table(SessionTable.SCHEMA_HISTORY_TABLE)
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

package app.getbodhi.session.reliability;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.sqlite.SqliteSessionStore;

/**
 * Migrates one session database in its own JVM, for {@link SealingAtScaleTest}: the test starts it
 * with a small heap, so a migration that held more than a page of rows would run out of memory
 * here, and can kill it half-way. It opens the store as an operator's tool does ({@code
 * BODHI_SESSION_DB_URL}, kept out of the command line, where other users of the machine could read
 * it), runs {@code migrate()} and prints:
 *
 * <pre>
 * max-heap BYTES
 * migrations-applied N
 * sealed-rows N
 * advice TEXT              (one line per advice)
 * </pre>
 *
 * Exits with 0 when the migration succeeded, 2 after printing {@code error KIND} when it failed.
 */
public final class MigrationRunner {

  private MigrationRunner() {}

  public static void main(String[] args) {
    String url = System.getenv(SettingService.BODHI_SESSION_DB_URL);
    System.out.println("max-heap " + Runtime.getRuntime().maxMemory());
    try (ManagedSessionStore store =
        url.startsWith(SqliteSessionStore.BACKEND_NAME + ":")
            ? SqliteSessionStore.open(url)
            : PgSessionStore.connect(url)) {
      MigrationReport report = store.migrate();
      System.out.println("migrations-applied " + report.migrationsApplied());
      System.out.println("sealed-rows " + report.sealedRows());
      report.advice().forEach(advice -> System.out.println("advice " + advice));
    } catch (SessionServiceException e) {
      System.out.println("error " + e.kind());
      System.exit(2);
    }
  }
}

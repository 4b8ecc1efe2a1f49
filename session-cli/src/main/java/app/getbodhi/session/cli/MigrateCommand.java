package app.getbodhi.session.cli;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code migrate}: creates or upgrades the session schema, then says which it did: created it,
 * upgraded it from one version to another, or found it up to date. It tells by looking at the store
 * (read-only) before and after, as {@code doctor} looks. Then it prints the rest of the store's
 * {@link MigrationReport}: how many sessions stored before sealing existed it sealed, and what the
 * operator should do next (on PostgreSQL, vacuum the table the old plaintext rows linger in).
 *
 * <p>Sessions are sealed under {@code BODHI_SESSION_SECRET}, read as the servers read it, so that
 * they open on the servers afterwards.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Creates or upgrades the session table.",
      "Says whether it created the schema, upgraded it or found it up to date. Safe to run twice,"
          + " on a database shared with other tables, and from several nodes at once; serve"
          + " migrates at start, too.",
      "Seals the sessions stored before sealing existed, under BODHI_SESSION_SECRET (set it as the"
          + " servers have it), and says what to do next."
    })
final class MigrateCommand extends StoreCommand {

  MigrateCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    SettingService settings = adminSettings();
    String url = settings.sessionDbUrl();
    SessionStoreProvider provider = StoreAccess.provider(settings);
    StoreInspection before = provider.inspect(url);
    if (!before.healthy() && before.database() != StoreInspection.Database.FOUND) {
      // the look already knows why migrating cannot work, and says it better than a driver would
      throw new CliException(String.join(" ", before.problems()));
    }
    SessionStoreConfig config = StoreAccess.storeConfig(settings);
    // a weak secret is worth saying before sealing under it, as the servers warn at start-up
    DefaultSessionService.secretWarning(settings.deploymentMode(), config.secret())
        .ifPresent(warning -> err().println(BodhiSessions.NAME + ": warning: " + warning));
    MigrationReport report;
    // the store itself, not the service: the report is what migrate() returns, once
    try (ManagedSessionStore store = provider.open(url, config)) {
      report = store.migrate();
    }
    StoreInspection after = provider.inspect(url);
    out().println(outcome(provider.name(), url, before, after));
    report(report).forEach(out()::println);
    return BodhiSessions.EXIT_OK;
  }

  /**
   * Says what the report holds beyond the schema version: the sessions sealed, when there were any,
   * then each piece of advice, one line each.
   *
   * @param report what the store's migration did
   * @return the lines to print; empty when nothing was sealed and there is no advice
   */
  static List<String> report(MigrationReport report) {
    List<String> lines = new ArrayList<>();
    if (report.sealedRows() > 0) {
      lines.add(
          "Sealed " + Plural.sessions(report.sealedRows()) + " stored before sealing existed.");
    }
    lines.addAll(report.advice());
    return lines;
  }

  /** Says what the migration did, from what the store looked like before and after. */
  static String outcome(String backend, String url, StoreInspection before, StoreInspection after) {
    String store = "the " + backend + " session store at " + DatabaseUrls.redact(url);
    Optional<String> from = before.schemaVersion();
    Optional<String> to = after.schemaVersion();
    return switch (after.database()) {
      case IN_MEMORY ->
          "Created the session schema in "
              + store
              + ", an in-memory database that is gone when this command ends.";
      case NOT_INSPECTED -> "Migrated " + store + ".";
      default -> {
        String version = to.orElse("unknown");
        if (from.isEmpty()) {
          yield "Created the session schema (version " + version + ") in " + store + ".";
        }
        if (from.equals(to)) {
          yield StoreAccess.capitalized(store)
              + " is up to date at schema version "
              + version
              + "; nothing to migrate.";
        }
        yield "Upgraded " + store + " from schema version " + from.get() + " to " + version + ".";
      }
    };
  }
}

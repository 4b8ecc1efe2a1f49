package app.getbodhi.session.cli;

import picocli.CommandLine.Command;

/** {@code sessions purge-expired}: deletes expired sessions, in bounded batches. */
@Command(
    name = "purge-expired",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes the sessions that have expired.",
      "They are already treated as absent; this reclaims their space. Runs in bounded batches, so"
          + " it never stalls a running server."
    })
final class PurgeExpiredCommand extends StoreCommand {

  PurgeExpiredCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return withAdminService(
        service -> {
          int deleted = service.getSessionStore().deleteExpired();
          out().println("Deleted " + Plural.of(deleted, "expired session") + ".");
        });
  }
}

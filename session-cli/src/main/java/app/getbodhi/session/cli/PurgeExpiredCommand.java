package app.getbodhi.session.cli;

import app.getbodhi.session.service.DefaultSessionService;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sessions purge-expired}: deletes expired sessions, in bounded batches. */
@Command(
    name = "purge-expired",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes the sessions that have expired.",
      "They are already treated as absent; this reclaims their space. Runs in bounded batches, so"
          + " it never stalls a running server."
    })
final class PurgeExpiredCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin private DbOptions db;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  PurgeExpiredCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    try (DefaultSessionService service = db.connect(context.settings())) {
      int deleted = service.getSessionStore().deleteExpired();
      spec.commandLine().getOut().println("Deleted " + Plural.of(deleted, "expired session") + ".");
    }
    return BodhiSessions.EXIT_OK;
  }
}

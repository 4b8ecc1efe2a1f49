package app.getbodhi.session.cli;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.service.SessionStoreBackend;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sessions list --user U}: prints the ids of the user's live sessions, one per line. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the ids of a user's live sessions, one per line.",
      "Session ids are credentials: whoever holds one is logged in as the user."
    })
final class ListCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin private UserOption user;
  @Mixin private DbOptions db;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  ListCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    String userId = user.user();
    PrintWriter out = spec.commandLine().getOut();
    // only reads: never creates the database or its table
    try (SessionStoreBackend store =
        StoreAccess.openExisting(db.effectiveSettings(context.settings()))) {
      for (SessionId id : store.getSessionIdsForUser(userId)) {
        out.println(id.value());
      }
    }
    return BodhiSessions.EXIT_OK;
  }
}

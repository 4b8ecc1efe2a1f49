package app.getbodhi.session.cli;

import app.getbodhi.session.service.SessionStoreBackend;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sessions count --user U}: prints how many live sessions the user has. */
@Command(
    name = "count",
    mixinStandardHelpOptions = true,
    description = "Prints the number of live sessions of a user.")
final class CountCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin private UserOption user;
  @Mixin private DbOptions db;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  CountCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    String userId = user.user();
    // only reads: never creates the database or its table
    try (SessionStoreBackend store =
        StoreAccess.openExisting(db.effectiveSettings(context.settings()))) {
      spec.commandLine().getOut().println(store.countSessionsForUser(userId));
    }
    return BodhiSessions.EXIT_OK;
  }
}

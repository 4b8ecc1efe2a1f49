package app.getbodhi.session.cli;

import app.getbodhi.session.SessionId;
import java.io.IOException;
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
final class ListCommand extends StoreCommand {

  @Mixin private UserOption user;

  ListCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws IOException {
    return withExistingStore(
        store -> {
          for (SessionId id : store.getSessionIdsForUser(user.user())) {
            out().println(id.value());
          }
        });
  }
}

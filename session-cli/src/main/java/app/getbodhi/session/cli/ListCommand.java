package app.getbodhi.session.cli;

import app.getbodhi.session.SessionSummary;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sessions list --user U}: prints the refs of the user's live sessions, one per line. The
 * store keeps no session ids, only refs (one-way hashes of them), so a ref is what there is to
 * show, and it is safe to show: nothing can be loaded with it.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the refs of a user's live sessions, one per line.",
      "A ref names a stored session without being a credential: revoke one with 'sessions"
          + " revoke REF'."
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
          for (SessionSummary session : store.getSessionsForUser(user.user())) {
            out().println(session.ref().value());
          }
        });
  }
}

package app.getbodhi.session.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sessions count --user U}: prints how many live sessions the user has. */
@Command(
    name = "count",
    mixinStandardHelpOptions = true,
    description = "Prints the number of live sessions of a user.")
final class CountCommand extends StoreCommand {

  @Mixin private UserOption user;

  CountCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws IOException {
    return withExistingStore(store -> out().println(store.countSessionsForUser(user.user())));
  }
}

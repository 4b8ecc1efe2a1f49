package app.getbodhi.session.cli;

import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.DatabaseUrls;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sessions clear (--user U | --all) [--yes]}: deletes sessions, logging users out. */
@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes a user's sessions (--user) or every session (--all).",
      "Those users are logged out on their next request, on every node. Asks first unless --yes"
          + " is given; without a terminal, --yes is required."
    })
final class ClearCommand extends StoreCommand {

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Target target;

  @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal).")
  private boolean yes;

  /** Whose sessions to delete: one of the two options. */
  static final class Target {
    @Option(
        names = "--user",
        paramLabel = "USER",
        required = true,
        converter = OptionValues.NonBlank.class,
        description = "Delete this user's sessions (user_id matched exactly).")
    String user;

    @Option(names = "--all", required = true, description = "Delete every session.")
    boolean all;
  }

  ClearCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return withAdminService(this::clear);
  }

  private void clear(DefaultSessionService service) {
    String where =
        service.backend().kind() + " at " + DatabaseUrls.redact(adminSettings().sessionDbUrl());
    if (target.all) {
      Confirmation.require(
          context().terminal(),
          yes,
          "Delete EVERY session in " + where + ", logging everyone out?");
      int deleted = service.clearAllSessions();
      out().println("Deleted " + Plural.sessions(deleted) + ".");
    } else {
      String user = target.user;
      Confirmation.require(
          context().terminal(),
          yes,
          "Delete every session of user '"
              + Text.printable(user)
              + "' ("
              + Plural.of(service.countSessionsForUser(user), "live session")
              + ") in "
              + where
              + "?");
      int deleted = service.clearSessionsForUser(user);
      out()
          .println(
              "Deleted " + Plural.sessions(deleted) + " of user '" + Text.printable(user) + "'.");
    }
  }
}

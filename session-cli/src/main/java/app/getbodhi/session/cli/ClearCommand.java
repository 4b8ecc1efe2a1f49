package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.DatabaseUrls;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class ClearCommand implements Callable<Integer> {

  private final CliContext context;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Target target;

  @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal).")
  private boolean yes;

  @Mixin private DbOptions db;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

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
    this.context = context;
  }

  @Override
  public Integer call() {
    SettingService settings = db.adminSettings(context.settings());
    try (DefaultSessionService service = DefaultSessionService.connect(settings)) {
      String where =
          service.backend().kind() + " at " + DatabaseUrls.redact(settings.sessionDbUrl());
      int deleted;
      if (target.all) {
        Confirmation.require(
            context.terminal(),
            yes,
            "Delete EVERY session in " + where + ", logging everyone out?");
        deleted = service.clearAllSessions();
        spec.commandLine().getOut().println("Deleted " + Plural.sessions(deleted) + ".");
      } else {
        String user = target.user;
        Confirmation.require(
            context.terminal(),
            yes,
            "Delete every session of user '"
                + Text.printable(user)
                + "' ("
                + Plural.of(service.countSessionsForUser(user), "live session")
                + ") in "
                + where
                + "?");
        deleted = service.clearSessionsForUser(user);
        spec.commandLine()
            .getOut()
            .println(
                "Deleted " + Plural.sessions(deleted) + " of user '" + Text.printable(user) + "'.");
      }
    }
    return BodhiSessions.EXIT_OK;
  }
}

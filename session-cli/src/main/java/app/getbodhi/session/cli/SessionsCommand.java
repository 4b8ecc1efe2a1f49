package app.getbodhi.session.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sessions}: the administration of stored sessions; the work is in its subcommands. */
@Command(
    name = "sessions",
    mixinStandardHelpOptions = true,
    description = "Counts, lists, dumps, revokes, clears, purges and copies sessions.",
    subcommands = {
      CountCommand.class,
      ListCommand.class,
      ClearCommand.class,
      DumpCommand.class,
      RevokeCommand.class,
      PurgeExpiredCommand.class,
      CopyCommand.class
    })
final class SessionsCommand implements Runnable {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  /** Without a subcommand, explains the subcommands. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing subcommand: one of count, list, clear, dump, revoke, purge-expired, copy");
  }
}

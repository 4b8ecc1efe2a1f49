package app.getbodhi.session.cli;

import app.getbodhi.session.SessionServiceException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code bodhi-sessions} command line: the demo web server ({@code serve}) and the session
 * store's administration ({@code migrate}, {@code sessions ...}, {@code doctor}).
 *
 * <p>Exit codes: {@value #EXIT_OK} on success, {@value #EXIT_FAILURE} when the command failed (the
 * store could not be opened, a confirmation was refused, {@code doctor} found a problem), {@value
 * #EXIT_USAGE} for a wrong command line. An expected failure is one line on stderr, never a stack
 * trace.
 */
@Command(
    name = BodhiSessions.NAME,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Web sessions stored in SQL: the demo server and the session store's admin tool.",
    footer = {
      "",
      "Settings (environment variables, or -D system properties of the same name):",
      "  BODHI_HOME                          default store's folder; ~/.cache/bodhi",
      "  BODHI_SESSION_DB_URL                a sqlite:, postgres:// or mariadb:// URL",
      "  BODHI_DEPLOYMENT                    standalone (default) or cluster",
      "  BODHI_SESSION_SECRET                base64 secret: openssl rand -base64 32",
      "  BODHI_SESSION_SECRET_FILE           a file holding it (instead of the above)",
      "  BODHI_SESSION_SECRET_PREVIOUS       the secret before it, while rotating",
      "  BODHI_SESSION_SECRET_PREVIOUS_FILE  a file holding that one",
      "  BODHI_SESSION_LIFETIME              session lifetime: 30m, 12h, 14d (default)",
      "  BODHI_SESSION_ACCESS_GRANULARITY    last-access precision: 5m (default), 0s",
      "  BODHI_SESSION_SECURE_COOKIE         true behind HTTPS; false (default)",
      "  BODHI_SESSION_CLEANUP_INTERVAL      expired-session purge: 5m (default), off",
      "Cluster mode needs a secret; 'doctor' checks these as serve does."
    },
    subcommands = {
      ServeCommand.class,
      MigrateCommand.class,
      SessionsCommand.class,
      DoctorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BodhiSessions implements Runnable {

  /** The command's name, as users type it. */
  public static final String NAME = "bodhi-sessions";

  /** The exit code of a command that did its work. */
  public static final int EXIT_OK = 0;

  /** The exit code of a command that failed for a reason its message explains. */
  public static final int EXIT_FAILURE = 1;

  /** The exit code of a command line that could not be understood. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  /** {@code --db-url} given before the command, for every command that opens the store. */
  @CommandLine.Mixin private DbOptions db;

  /**
   * Returns the {@code --db-url} given before the command.
   *
   * @return the options; empty of a URL when none was given there
   */
  DbOptions db() {
    return db;
  }

  /** Without a subcommand, explains the subcommands. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Runs the command line and exits the JVM with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    int code = commandLine(CliContext.system()).execute(args);
    // serve returns only after it stopped; every other command is done, so exit now rather than
    // wait for a pool's non-daemon housekeeping thread
    System.exit(code);
  }

  /**
   * Builds the command line over a context, with the error handling described on this class. Tests
   * call this with their own context and writers.
   *
   * @param context settings, terminal and serve hooks
   * @return the command line, ready to {@code execute}
   */
  public static CommandLine commandLine(CliContext context) {
    CommandLine commandLine = new CommandLine(new BodhiSessions(), new ContextFactory(context));
    commandLine.setExecutionExceptionHandler(executionErrors());
    commandLine.setParameterExceptionHandler(usageErrors());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    // a ref is base64url, so one in 64 starts with '-'; it must still reach revoke as its REF
    commandLine
        .getSubcommands()
        .get("sessions")
        .getSubcommands()
        .get("revoke")
        .setUnmatchedOptionsArePositionalParams(true);
    return commandLine;
  }

  private static IExecutionExceptionHandler executionErrors() {
    return (Exception e, CommandLine commandLine, ParseResult parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof SessionServiceException || e instanceof CliException) {
        // the message says what was wrong and what to do, and never holds a password; it may
        // quote what the user typed, so it reaches the terminal only as printable text
        err.println(NAME + ": " + Text.printable(e.getMessage()));
      } else {
        // a bug: keep the trace, it is what a report needs
        err.println(NAME + ": unexpected error: " + e);
        e.printStackTrace(err);
      }
      err.flush();
      return EXIT_FAILURE;
    };
  }

  private static IParameterExceptionHandler usageErrors() {
    return (ParameterException e, String[] args) -> {
      CommandLine commandLine = e.getCommandLine();
      PrintWriter err = commandLine.getErr();
      err.println(
          NAME
              + ": "
              + Text.printable(e.getMessage())
              + " (see '"
              + commandLine.getCommandSpec().qualifiedName()
              + " --help')");
      err.flush();
      return EXIT_USAGE;
    };
  }

  /** Builds commands that take the {@link CliContext}; everything else as picocli does. */
  private record ContextFactory(CliContext context) implements CommandLine.IFactory {

    private static final CommandLine.IFactory DEFAULT = CommandLine.defaultFactory();

    @Override
    public <K> K create(Class<K> type) throws Exception {
      for (Constructor<?> constructor : type.getDeclaredConstructors()) {
        if (constructor.getParameterCount() == 1
            && constructor.getParameterTypes()[0] == CliContext.class) {
          return type.cast(constructor.newInstance(context));
        }
      }
      return DEFAULT.create(type);
    }
  }
}

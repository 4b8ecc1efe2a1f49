package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionStoreBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * What every command that works on the session store shares: the process's {@link CliContext}, the
 * {@code --db-url} option ({@link DbOptions}), the command's output, and the two ways a command
 * reaches the store, {@link #withExistingStore} for the commands that only read and {@link
 * #withAdminService} for those that change sessions.
 *
 * <p>A command returns {@value BodhiSessions#EXIT_OK} when its work is done; it reports a failure
 * by throwing, and {@link BodhiSessions} turns the exception into one line on stderr and its exit
 * code, the same for every command.
 *
 * <p>picocli injects the inherited {@code @Mixin} and {@code @Spec} fields of a subclass as its
 * own. A subclass has a constructor that takes the {@link CliContext}, which is how {@link
 * BodhiSessions} builds it.
 */
abstract class StoreCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin private DbOptions db;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  StoreCommand(CliContext context) {
    this.context = context;
  }

  /** Reads the sessions of a store that a command opened; the store is closed afterwards. */
  @FunctionalInterface
  interface StoreWork {
    void run(SessionStoreBackend store) throws IOException;
  }

  /** Works on the session service an admin command connected; the service is closed afterwards. */
  @FunctionalInterface
  interface ServiceWork {
    void run(DefaultSessionService service);
  }

  final CliContext context() {
    return context;
  }

  /**
   * The {@code --db-url} in effect: the command's own, else the one given before the command. Given
   * in both places, it is a wrong command line, as any option given twice is.
   */
  final DbOptions db() {
    DbOptions beforeCommand = ((BodhiSessions) spec.root().userObject()).db();
    if (db.dbUrl().isPresent() && beforeCommand.dbUrl().isPresent()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--db-url is given both before and after '" + spec.name() + "'; give it once");
    }
    return db.or(beforeCommand);
  }

  /** Where the command's report goes: standard output, or what a test put in its place. */
  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Where the command's remarks go: standard error, or what a test put in its place. */
  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The process's settings with {@code --db-url} laid over them ({@link DbOptions}). */
  final SettingService settings() {
    return db().effectiveSettings(context.settings());
  }

  /** {@link #settings()} without the background cleanup, as {@link DbOptions} explains. */
  final SettingService adminSettings() {
    return db().adminSettings(context.settings());
  }

  /**
   * Runs work on a store that must already exist, opened without creating or migrating anything
   * (see {@link StoreAccess#openExisting}), then closes the store and flushes the output.
   *
   * @param work what to read
   * @return {@value BodhiSessions#EXIT_OK}
   * @throws IOException when the output cannot be written
   */
  final int withExistingStore(StoreWork work) throws IOException {
    try (SessionStoreBackend store = StoreAccess.openExisting(settings())) {
      work.run(store);
    }
    out().flush();
    return BodhiSessions.EXIT_OK;
  }

  /**
   * Connects the session service an admin command works on (migrated, cluster rule enforced, no
   * background cleanup; see {@link DbOptions#connect}), runs work on it, then closes it.
   *
   * @param work what to do
   * @return {@value BodhiSessions#EXIT_OK}
   */
  final int withAdminService(ServiceWork work) {
    try (DefaultSessionService service = db().connect(context.settings())) {
      work.run(service);
    }
    return BodhiSessions.EXIT_OK;
  }
}

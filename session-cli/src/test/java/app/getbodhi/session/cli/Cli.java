package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractStringAssert;
import picocli.CommandLine;

/**
 * Runs the command line in-process, as a user would from a shell, with settings of the test's own
 * (a temporary BODHI_HOME), captured stdout and stderr, and a terminal the test scripts.
 */
final class Cli {

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {
    /** All that was printed, for failure messages. */
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /**
     * Checks that the command failed with this exit code and said why in one line on stderr, as
     * every failure must (no stack trace, no usage dump).
     *
     * @param expected {@link BodhiSessions#EXIT_FAILURE} or {@link BodhiSessions#EXIT_USAGE}
     * @return an assertion on stderr, for what the line must say
     */
    AbstractStringAssert<?> failedWithOneLine(int expected) {
      assertThat(exitCode).as(toString()).isEqualTo(expected);
      return assertThat(err).hasLineCount(1);
    }
  }

  /** Where {@code serve} listens and how to stop it, once it is up. */
  record Served(URI address, Runnable stop) {}

  /** How long a {@code serve} in the background may take to listen, and then to end. */
  static final Duration SERVE_WAIT = Duration.ofSeconds(30);

  /**
   * A {@code serve} running on a thread of its own, from {@link #serveOnAnyPort}. Closing it ends
   * the thread (interrupting a server the test did not stop, which then stops) and fails when the
   * thread does not end.
   */
  static final class Serving implements AutoCloseable {
    private final ExecutorService thread;
    private final Future<Run> running;
    private final Served served;

    private Serving(ExecutorService thread, Future<Run> running, Served served) {
      this.thread = thread;
      this.running = running;
      this.served = served;
    }

    /** Where the server listens. */
    URI address() {
      return served.address();
    }

    /** What serve registered to stop it: what Ctrl-C runs. */
    Runnable ctrlC() {
      return served.stop();
    }

    /** Waits until the command has returned, and gives what it printed and returned. */
    Run awaitExit() throws Exception {
      return running.get(SERVE_WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Stops the server as Ctrl-C would, and waits until the command has returned. */
    Run stop() throws Exception {
      ctrlC().run();
      return awaitExit();
    }

    @Override
    public void close() throws InterruptedException {
      thread.shutdownNow();
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new AssertionError("serve's thread did not end");
      }
    }
  }

  private final Map<String, String> settings;
  private final ScriptedTerminal terminal;
  private final CompletableFuture<Served> served = new CompletableFuture<>();

  private Cli(Map<String, String> settings, ScriptedTerminal terminal) {
    this.settings = settings;
    this.terminal = terminal;
  }

  /**
   * A command line whose BODHI_HOME is {@code home}, with no other setting and no terminal.
   *
   * @param home the temporary home
   * @return the command line
   */
  static Cli withHome(Path home) {
    Map<String, String> settings = new HashMap<>();
    settings.put(SettingService.BODHI_HOME, home.toString());
    return new Cli(settings, new ScriptedTerminal(false));
  }

  /** Adds a setting, as if exported in the shell. */
  Cli with(String key, String value) {
    Map<String, String> more = new HashMap<>(settings);
    more.put(key, value);
    return new Cli(more, terminal);
  }

  /** Runs as if at a terminal where the user types these answers, in order. */
  Cli atTerminalAnswering(String... answers) {
    ScriptedTerminal scripted = new ScriptedTerminal(true);
    scripted.answers.addAll(List.of(answers));
    return new Cli(settings, scripted);
  }

  /** The prompts the scripted terminal was shown. */
  List<String> prompts() {
    return List.copyOf(terminal.prompts);
  }

  /** Completes when a {@code serve} run by this command line listens. */
  CompletableFuture<Served> served() {
    return served;
  }

  /**
   * Starts {@code serve --port 0} with more options on a thread of its own, and waits until it
   * listens.
   *
   * @param options what follows {@code serve --port 0}
   * @return the running server; the caller closes it
   */
  Serving serveOnAnyPort(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
    args.addAll(List.of(options));
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<Run> running = thread.submit(() -> run(args.toArray(String[]::new)));
      return new Serving(thread, running, served.get(SERVE_WAIT.toSeconds(), TimeUnit.SECONDS));
    } catch (Exception | Error e) {
      thread.shutdownNow();
      throw e;
    }
  }

  /** The default SQLite URL this command line's settings lead to. */
  String defaultUrl() {
    return SettingService.of(settings).sessionDbUrl();
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context =
        new CliContext(
            SettingService.of(settings),
            terminal,
            (address, stop) -> served.complete(new Served(address, stop)));
    CommandLine commandLine = BodhiSessions.commandLine(context);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A terminal that answers prompts from a script and remembers what it was asked. */
  private static final class ScriptedTerminal implements Terminal {
    private final boolean interactive;
    private final Deque<String> answers = new ArrayDeque<>();
    private final List<String> prompts = new CopyOnWriteArrayList<>();

    ScriptedTerminal(boolean interactive) {
      this.interactive = interactive;
    }

    @Override
    public boolean interactive() {
      return interactive;
    }

    @Override
    public Optional<String> readLine(String prompt) {
      prompts.add(prompt);
      return Optional.ofNullable(answers.poll());
    }
  }
}

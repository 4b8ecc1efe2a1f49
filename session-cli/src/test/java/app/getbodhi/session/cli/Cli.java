package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
  }

  /** Where {@code serve} listens and how to stop it, once it is up. */
  record Served(URI address, Runnable stop) {}

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
    private final List<String> prompts = new java.util.concurrent.CopyOnWriteArrayList<>();

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

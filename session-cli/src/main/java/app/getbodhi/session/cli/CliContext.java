package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import java.util.Objects;

/**
 * What the commands take from the process around them: the settings, the terminal and how {@code
 * serve} arranges to stop. {@link #system()} is the real process; tests build their own.
 *
 * @param settings where {@code BODHI_HOME}, {@code BODHI_SESSION_DB_URL} and {@code
 *     BODHI_DEPLOYMENT} come from
 * @param terminal the user's terminal, for confirmations and progress bars
 * @param serveHooks what {@code serve} registers once it listens
 */
public record CliContext(SettingService settings, Terminal terminal, ServeHooks serveHooks) {

  /** Checks that no component is null. */
  public CliContext {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(serveHooks, "serveHooks");
  }

  /**
   * Returns the context of a real process: environment settings (system properties of the same name
   * win), the terminal ({@link Terminal#system()}), and a shutdown hook for {@code serve}.
   *
   * @return the context
   */
  public static CliContext system() {
    return new CliContext(
        SettingService.fromEnvironment(), Terminal.system(), ServeHooks.shutdownHook());
  }
}

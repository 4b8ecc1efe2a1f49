package app.getbodhi.session.cli;

import java.io.Console;
import java.util.Optional;

/**
 * The user's terminal, when there is one: where a command asks for confirmation and whether it may
 * draw a progress bar. Commands never read {@link System#console()} themselves, so tests can stand
 * in for a person at a keyboard.
 */
public interface Terminal {

  /**
   * Tells whether a person is at the keyboard: standard input and output are a terminal.
   *
   * @return {@code true} when prompts and progress bars make sense
   */
  boolean interactive();

  /**
   * Shows a prompt and reads one line of the answer.
   *
   * @param prompt the question, shown as it is
   * @return the answer without its line end; empty when input has ended
   */
  Optional<String> readLine(String prompt);

  /**
   * Returns the process's terminal: interactive when {@link System#console()} exists (the JDK gives
   * one only when both standard input and output are a terminal).
   *
   * @return the terminal
   */
  static Terminal system() {
    Console console = System.console();
    if (console == null) {
      return none();
    }
    return new Terminal() {
      @Override
      public boolean interactive() {
        return true;
      }

      @Override
      public Optional<String> readLine(String prompt) {
        return Optional.ofNullable(console.readLine("%s", prompt));
      }
    };
  }

  /**
   * Returns a terminal for scripts and pipes: not interactive, and every read finds no input.
   *
   * @return the terminal
   */
  static Terminal none() {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return false;
      }

      @Override
      public Optional<String> readLine(String prompt) {
        return Optional.empty();
      }
    };
  }
}

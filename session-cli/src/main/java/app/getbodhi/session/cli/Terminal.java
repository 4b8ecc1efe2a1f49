package app.getbodhi.session.cli;

import java.io.Console;
import java.lang.reflect.Method;
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
   * Returns the process's terminal: interactive when standard input and output are both a terminal.
   *
   * <p>{@link System#console()} alone does not say so on every JDK. Up to JDK 21 it is {@code null}
   * unless both streams are a terminal; from JDK 22 on it returns a console even when they are
   * redirected (to a pipe, a file, a CI log), and {@code Console.isTerminal()}, new in JDK 22,
   * tells the two apart. This code targets Java 17, so it calls that method reflectively where it
   * exists.
   *
   * @return the terminal
   */
  static Terminal system() {
    Console console = System.console();
    return over(console != null && isTerminal(console) ? console : null);
  }

  /**
   * Returns a terminal for scripts and pipes: not interactive, and every read finds no input.
   *
   * @return the terminal
   */
  static Terminal none() {
    return over(null);
  }

  /** A terminal over a console, or over nothing (not interactive, no input) when it is null. */
  private static Terminal over(Console console) {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return console != null;
      }

      @Override
      public Optional<String> readLine(String prompt) {
        return console == null
            ? Optional.empty()
            : Optional.ofNullable(console.readLine("%s", prompt));
      }
    };
  }

  /**
   * Tells whether a console is a terminal: {@code Console.isTerminal()} where the JDK has it (22
   * and later); before, a console exists only for a terminal.
   */
  private static boolean isTerminal(Console console) {
    Method isTerminal;
    try {
      isTerminal = Console.class.getMethod("isTerminal");
    } catch (NoSuchMethodException e) {
      return true;
    }
    try {
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // a JDK that has the method but will not answer: no prompts rather than a hung script
      return false;
    }
  }
}

package app.getbodhi.session.cli;

import java.util.Locale;

/** Asks before a destructive command does its work, unless the user said {@code --yes}. */
final class Confirmation {

  private Confirmation() {}

  /**
   * Returns when the user agreed; throws otherwise.
   *
   * @param terminal where to ask
   * @param yes whether {@code --yes} was given
   * @param question what is about to happen, as a question without the {@code [y/N]}
   * @throws CliException when the answer is not yes, or when there is no terminal to ask on and
   *     {@code --yes} was not given (a script must say so explicitly)
   */
  static void require(Terminal terminal, boolean yes, String question) {
    if (yes) {
      return;
    }
    if (!terminal.interactive()) {
      throw new CliException(
          "Refusing to delete sessions without confirmation: standard input is not a terminal."
              + " Pass --yes to confirm.");
    }
    String answer =
        terminal.readLine(question + " [y/N] ").orElse("").strip().toLowerCase(Locale.ROOT);
    if (!answer.equals("y") && !answer.equals("yes")) {
      throw new CliException("Cancelled: nothing was deleted.");
    }
  }
}

package app.getbodhi.session.cli;

/** Makes stored text safe to print on a terminal. */
final class Text {

  private Text() {}

  /**
   * Replaces control characters with {@code ?}: a user id written by another application could
   * otherwise carry escape sequences that rewrite the admin's terminal.
   *
   * @param value any text
   * @return the text without control characters
   */
  static String printable(String value) {
    StringBuilder result = new StringBuilder(value.length());
    value.codePoints().forEach(c -> result.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return result.toString();
  }
}

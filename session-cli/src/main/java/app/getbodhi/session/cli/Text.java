package app.getbodhi.session.cli;

/** Makes stored text safe to print on a terminal. */
final class Text {

  /** What stands in for a character that is not shown as it is. */
  static final char REPLACEMENT = '?';

  private Text() {}

  /**
   * Replaces with {@code ?} every character that could change what the admin sees rather than be
   * seen itself: a user id written by another application could otherwise carry escape sequences
   * that rewrite the terminal (control characters), text that reads backwards or hides (format
   * characters such as U+202E RIGHT-TO-LEFT OVERRIDE and U+200B ZERO WIDTH SPACE), line breaks a
   * terminal honours (U+2028, U+2029), or half a character (an unpaired surrogate).
   *
   * @param value any text
   * @return the text with only characters that show as themselves
   */
  static String printable(String value) {
    StringBuilder result = new StringBuilder(value.length());
    value.codePoints().forEach(c -> result.appendCodePoint(shownAsItIs(c) ? c : REPLACEMENT));
    return result.toString();
  }

  private static boolean shownAsItIs(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE ->
          false;
      default -> true;
    };
  }
}

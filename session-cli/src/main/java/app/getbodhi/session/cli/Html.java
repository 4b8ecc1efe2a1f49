package app.getbodhi.session.cli;

/** HTML escaping for text that comes from a user: every such value goes through {@link #text}. */
final class Html {

  private Html() {}

  /**
   * Escapes text for an HTML element body or a quoted attribute value.
   *
   * @param value any text; {@code null} becomes the empty string
   * @return the text with {@code & < > " '} replaced by character references
   */
  static String text(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}

package app.getbodhi.session;

/**
 * The URL-safe base64 alphabet, for the strict parsers of {@link SessionId} and {@link SessionRef}.
 */
final class Base64Url {

  private Base64Url() {}

  /**
   * Returns the 6-bit value of a URL-safe base64 character.
   *
   * @param c the character
   * @return 0 to 63, or -1 when {@code c} is not in the alphabet
   */
  static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '-') {
      return 62;
    }
    return c == '_' ? 63 : -1;
  }
}

package app.getbodhi.session;

/**
 * The error for a setting (or an option standing in for one) whose value is not what it must be:
 * one wording for every setting, and one limit on how much of the value it quotes.
 */
final class InvalidSetting {

  /**
   * The most characters of a value a message quotes: a setting value is not a secret, but a huge
   * one should not flood a log line.
   */
  static final int MAX_QUOTED = 40;

  private InvalidSetting() {}

  /**
   * Builds the error {@code NAME must be EXPECTED, but is 'VALUE'.}
   *
   * @param name the setting or option
   * @param expected what the value must be, worded to follow "must be"
   * @param value the value given; {@code null} reads as empty
   * @return an exception of kind CONFIGURATION, to throw
   */
  static SessionServiceException mustBe(String name, String expected, String value) {
    String given = value == null ? "" : value;
    return new SessionServiceException(
        SessionServiceException.Kind.CONFIGURATION,
        name
            + " must be "
            + expected
            + ", but is '"
            + (given.length() <= MAX_QUOTED ? given : given.substring(0, MAX_QUOTED) + "…")
            + "'.");
  }
}

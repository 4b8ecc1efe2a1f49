package app.getbodhi.session.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks option values while the command line is parsed, so that a value out of range is a wrong
 * command line (exit {@value BodhiSessions#EXIT_USAGE}, with the usage hint) like an unknown
 * option, not a failure of the command.
 */
final class OptionValues {

  /** The highest TCP port. */
  static final int MAX_PORT = 65_535;

  private OptionValues() {}

  /** A TCP port: 0 (any free port) to {@value #MAX_PORT}. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return inRange(value, 0, MAX_PORT);
    }
  }

  /** A copy's page size: 1 to {@link SessionCopier#MAX_BATCH_SIZE}. */
  static final class BatchSize implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return inRange(value, 1, SessionCopier.MAX_BATCH_SIZE);
    }
  }

  /** A session ref, or its first {@link RevokeCommand#MIN_PREFIX} characters or more. */
  static final class RefPrefix implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.length() < RevokeCommand.MIN_PREFIX) {
        throw new TypeConversionException(
            "a ref prefix needs at least "
                + RevokeCommand.MIN_PREFIX
                + " characters, so that it names one session; '"
                + Text.printable(value)
                + "' has "
                + value.length());
      }
      return value;
    }
  }

  /** Any text with something besides blanks in it. */
  static final class NonBlank implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("must not be blank");
      }
      return value;
    }
  }

  /**
   * Parses a whole number within limits.
   *
   * @param value the text given on the command line
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @return the number
   * @throws TypeConversionException naming the limits, which picocli reports as a usage error
   */
  static int inRange(String value, int min, int max) {
    int number;
    try {
      number = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "'" + Text.printable(value) + "' is not a whole number from " + min + " to " + max);
    }
    if (number < min || number > max) {
      throw new TypeConversionException(
          number + " is out of range: it must be from " + min + " to " + max);
    }
    return number;
  }
}

package app.getbodhi.session.cli;

import app.getbodhi.session.spi.DatabaseUrls;
import java.util.ArrayList;
import java.util.List;
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
   * A database URL: not blank, and any port it names from 1 to {@value #MAX_PORT}. What else a URL
   * must be is the backend's to say when it opens it; a port out of range is a typo worth catching
   * as a wrong command line, like {@code --port 99999}.
   */
  static final class DbUrl implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException(
            "must not be blank: name a database URL (a variable that expanded to nothing?)");
      }
      for (String port : ports(value)) {
        boolean valid =
            port.matches("\\d{1,5}")
                && Integer.parseInt(port) >= 1
                && Integer.parseInt(port) <= MAX_PORT;
        if (!valid) {
          // the URL is quoted with its password hidden; the port alone could be a piece of one
          throw new TypeConversionException(
              "the URL names a port that is not a number from 1 to "
                  + MAX_PORT
                  + ": "
                  + Text.printable(DatabaseUrls.redact(value)));
        }
      }
      return value;
    }

    /**
     * The ports a {@code scheme://[user[:password]@]host[:port][,host[:port]...]/...} URL names.
     */
    static List<String> ports(String url) {
      int start = url.indexOf("://");
      if (start < 0) {
        return List.of();
      }
      String rest = url.substring(start + 3);
      int end = rest.length();
      for (char stop : new char[] {'/', '?', '#'}) {
        int at = rest.indexOf(stop);
        if (at >= 0) {
          end = Math.min(end, at);
        }
      }
      String authority = rest.substring(0, end);
      String hosts = authority.substring(authority.lastIndexOf('@') + 1);
      List<String> ports = new ArrayList<>();
      for (String host : hosts.split(",", -1)) {
        // an IPv6 literal is bracketed: its colons are no port
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && colon > host.lastIndexOf(']')) {
          ports.add(host.substring(colon + 1));
        }
      }
      return ports;
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

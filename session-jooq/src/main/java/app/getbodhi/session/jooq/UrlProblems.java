package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.DatabaseUrls;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The configuration errors of one session URL, for a backend's URL parser: every message names the
 * database, shows the URL only {@linkplain DatabaseUrls#redact(String) redacted} (control
 * characters escaped, at most {@value #MAX_SHOWN_CHARS} characters) and ends with what a good URL
 * looks like. A message never quotes a parsed user, password, host or parameter value on its own:
 * on a malformed URL the parser cannot be sure which part was meant as the password.
 *
 * <p>Start with {@link #of(String, String, String)}, which refuses an empty URL and one with a
 * space or control character; then raise {@link #invalid(String)} for each problem found, and
 * decode each percent-encoded part with {@link #decode(String, String)}:
 *
 * <pre>{@code
 * UrlProblems problems = UrlProblems.of("MariaDB", url, EXPECTED);
 * if (!problems.url().startsWith("mariadb://")) {
 *   throw problems.invalid("it is not a MariaDB URL (the scheme must be mariadb://)");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe. Two instances are equal when they check the same URL for the same
 * database; {@link #toString()} shows the URL only redacted.
 *
 * @param database the database's name, as messages give it, such as {@code PostgreSQL}
 * @param url the URL being checked, without surrounding white space; it may hold a password
 * @param expected what a good URL looks like, the sentence ending every message
 */
public record UrlProblems(String database, String url, String expected) {

  /** The longest redacted URL a message shows; a longer one is cut and ends with "…". */
  public static final int MAX_SHOWN_CHARS = 300;

  /**
   * Starts checking a URL, as {@link #of} does.
   *
   * @throws SessionServiceException of kind CONFIGURATION when the URL is null or blank, or holds a
   *     space or control character (the message gives its index)
   */
  public UrlProblems {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(expected, "expected");
    if (url == null || url.isBlank()) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "The " + database + " session URL is empty. " + expected);
    }
    url = url.strip();
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        throw invalid(
            database,
            url,
            expected,
            "it contains a space or control character at index "
                + i
                + "; percent-encode it (a space is %20)");
      }
    }
  }

  /**
   * Starts checking a URL.
   *
   * @param database the database's name for messages, such as {@code PostgreSQL}
   * @param url the URL as the user gave it; may be null
   * @param expected what a good URL looks like, a sentence ending every message, such as {@code
   *     "Expected mariadb://user:password@host:port/database."}
   * @return the problems of the URL with surrounding white space removed
   * @throws SessionServiceException of kind CONFIGURATION when the URL is null or blank, or holds a
   *     space or control character (the message gives its index)
   */
  public static UrlProblems of(String database, String url, String expected) {
    return new UrlProblems(database, url, expected);
  }

  /**
   * Returns the URL as messages show it: redacted, control characters escaped, length bounded.
   *
   * @return the shown URL
   */
  public String shownUrl() {
    return show(url);
  }

  /**
   * Builds the error for one problem: {@code The <database> session URL <redacted> is invalid:
   * <problem>. <expected>}.
   *
   * @param problem what is wrong, without a final full stop; must not quote a part of the URL
   * @return the exception to throw, of kind CONFIGURATION
   */
  public SessionServiceException invalid(String problem) {
    return invalid(database, url, expected, problem);
  }

  private static SessionServiceException invalid(
      String database, String url, String expected, String problem) {
    return new SessionServiceException(
        SessionServiceException.Kind.CONFIGURATION,
        "The "
            + database
            + " session URL "
            + show(url)
            + " is invalid: "
            + problem
            + ". "
            + expected);
  }

  /**
   * Percent-decodes one part of the URL as UTF-8 ({@code +} stays a plus). {@code %00} is refused:
   * neither the server protocols nor C strings can carry it.
   *
   * @param part the part as written in the URL
   * @param what names the part in a message, such as {@code "the password"}; the part itself never
   *     goes into a message
   * @return the decoded part
   * @throws SessionServiceException of kind CONFIGURATION for a truncated or bad escape, {@code
   *     %00}, or bytes that are not UTF-8
   */
  public String decode(String part, String what) {
    Objects.requireNonNull(part, "part");
    if (part.indexOf('%') < 0) {
      return part;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
    int i = 0;
    while (i < part.length()) {
      char c = part.charAt(i);
      if (c == '%') {
        if (i + 2 >= part.length()) {
          throw invalid(
              what + " has a truncated percent-escape (% must be followed by two hex digits)");
        }
        if (!HexFormat.isHexDigit(part.charAt(i + 1))
            || !HexFormat.isHexDigit(part.charAt(i + 2))) {
          throw invalid(what + " has a bad percent-escape (% must be followed by two hex digits)");
        }
        int value = HexFormat.fromHexDigits(part, i + 1, i + 3);
        if (value == 0) {
          throw invalid(what + " contains %00, which " + database + " cannot take");
        }
        bytes.write(value);
        i += 3;
      } else {
        int end = part.indexOf('%', i);
        if (end < 0) {
          end = part.length();
        }
        bytes.writeBytes(part.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid(what + " is not valid UTF-8 once percent-decoded");
    }
  }

  /** Names the database and shows the redacted URL only. */
  @Override
  public String toString() {
    return "UrlProblems[" + database + ", " + shownUrl() + "]";
  }

  /** Redacts, then escapes control characters and bounds the length, for a one-line message. */
  private static String show(String url) {
    String redacted = DatabaseUrls.redact(url);
    StringBuilder shown = new StringBuilder(redacted.length());
    for (int i = 0; i < redacted.length(); i++) {
      char c = redacted.charAt(i);
      if (Character.isISOControl(c) || (Character.isWhitespace(c) && c != ' ')) {
        shown.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        shown.append(c);
      }
    }
    return shown.length() > MAX_SHOWN_CHARS
        ? shown.substring(0, MAX_SHOWN_CHARS) + "…"
        : shown.toString();
  }
}

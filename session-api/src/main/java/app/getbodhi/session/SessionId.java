package app.getbodhi.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * A session id: 128 random bits from {@link SecureRandom}, written as 22 characters of URL-safe
 * base64 without padding.
 *
 * <p>A session id is a bearer credential: whoever holds it is logged in as the session's user. So
 * {@link #toString()} shows only a short prefix, fit for a log line, and never the whole id; call
 * {@link #value()} where the full text is needed (a cookie, a database row).
 *
 * <p>Instances are immutable and thread-safe. Two ids are equal when their text is equal.
 */
public final class SessionId {

  /** The number of random bytes in an id: 128 bits, as OWASP recommends at least 64 of entropy. */
  public static final int BYTES = 16;

  /** The length of the text form: 16 bytes in unpadded base64. */
  public static final int LENGTH = 22;

  /** How many leading characters {@link #toString()} reveals: enough to tell ids apart in logs. */
  private static final int VISIBLE_PREFIX = 4;

  // SecureRandom is thread-safe and expensive to initialise; one per class loader is the usual
  // choice.
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final String value;

  private SessionId(String value) {
    this.value = value;
  }

  /**
   * Draws a new random id.
   *
   * @return a fresh id, never {@code null}
   */
  public static SessionId generate() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new SessionId(ENCODER.encodeToString(bytes));
  }

  /**
   * Parses the text form of an id, strictly.
   *
   * <p>Anything that is not exactly {@value #LENGTH} characters of the URL-safe base64 alphabet
   * ({@code A-Z a-z 0-9 - _}) decoding to {@value #BYTES} bytes gives an empty result. This method
   * never throws, so it is safe on any value a client sends (a cookie, a header).
   *
   * @param text the text to parse; may be {@code null}
   * @return the id, or empty when the text is not a well-formed id
   */
  public static Optional<SessionId> parse(String text) {
    if (text == null || text.length() != LENGTH) {
      return Optional.empty();
    }
    for (int i = 0; i < LENGTH; i++) {
      if (Base64Url.value(text.charAt(i)) < 0) {
        return Optional.empty();
      }
    }
    // 22 chars carry 132 bits; the last char must leave its 4 low bits zero, or two texts would
    // decode to the same 16 bytes and the id would not be canonical.
    if ((Base64Url.value(text.charAt(LENGTH - 1)) & 0x0F) != 0) {
      return Optional.empty();
    }
    return Optional.of(new SessionId(text));
  }

  /**
   * Returns the id's 16 random bytes, for deriving what the store keeps in its place (the row key
   * and the data key); a fresh copy each call.
   *
   * @return the {@value #BYTES} bytes
   */
  public byte[] bytes() {
    return Base64.getUrlDecoder().decode(value);
  }

  /**
   * Returns the full text form of the id. Treat it as a secret: put it in a cookie or a database
   * row, never in a log line or an exception message.
   *
   * @return the 22-character id
   */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SessionId that && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /**
   * Returns a redacted form, such as {@code SessionId[AbCd…]}, safe for logs: it shows only the
   * first {@value #VISIBLE_PREFIX} characters.
   */
  @Override
  public String toString() {
    return "SessionId[" + value.substring(0, VISIBLE_PREFIX) + "…]";
  }
}

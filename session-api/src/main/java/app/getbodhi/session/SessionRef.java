package app.getbodhi.session;

import java.util.Objects;
import java.util.Optional;

/**
 * The name a stored session goes by in the database: the row key, a one-way hash of the session id
 * (see "Sealed storage" in the README). The store never keeps ids, so listings ({@link
 * ManagedSessionStore#getSessionsForUser}, {@link ManagedSessionStore#streamAllSessions}) return
 * refs, and a session can be revoked by its ref ({@link ManagedSessionStore#delete(SessionRef)}).
 *
 * <p>A ref is not a credential: nothing can be loaded with it and no id can be computed from it, so
 * it is safe to show (a "your devices" page) and to log; {@link #toString()} is its full text.
 *
 * @param value 43 characters of URL-safe base64 without padding (32 bytes)
 */
public record SessionRef(String value) implements Comparable<SessionRef> {

  /** The length of a ref's text: 32 bytes in unpadded base64. */
  public static final int LENGTH = 43;

  /** The bytes a ref encodes: one SHA-256 (or HMAC-SHA256) output. */
  public static final int BYTES = 32;

  /**
   * Checks the text.
   *
   * @throws IllegalArgumentException when the text is not a well-formed ref
   */
  public SessionRef {
    Objects.requireNonNull(value, "value");
    if (!wellFormed(value)) {
      throw new IllegalArgumentException(
          "A session ref is " + LENGTH + " characters of URL-safe base64; this text is not one.");
    }
  }

  /**
   * Parses a ref, strictly; never throws, so it is safe on any text a user typed.
   *
   * @param text the text, may be {@code null}
   * @return the ref, or empty when the text is not exactly a well-formed ref
   */
  public static Optional<SessionRef> parse(String text) {
    return text != null && wellFormed(text) ? Optional.of(new SessionRef(text)) : Optional.empty();
  }

  /**
   * Tells whether a text has a ref's shape: {@value #LENGTH} characters of {@code A-Z a-z 0-9 - _},
   * the last of which leaves its two low bits zero (so each 32 bytes have one text).
   *
   * @param text the text
   * @return whether it is a well-formed ref
   */
  public static boolean wellFormed(String text) {
    if (text.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      if (Base64Url.value(text.charAt(i)) < 0) {
        return false;
      }
    }
    return (Base64Url.value(text.charAt(LENGTH - 1)) & 0x03) == 0;
  }

  @Override
  public int compareTo(SessionRef other) {
    return value.compareTo(other.value);
  }

  /** Returns the ref's full text: a ref is safe to log. */
  @Override
  public String toString() {
    return value;
  }
}

package app.getbodhi.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored session: its id, its data and the instant it expires.
 *
 * <p>{@code data} holds JSON values only: {@link String}, {@link Number}, {@link Boolean}, {@code
 * null}, {@link java.util.List} and {@link Map} with {@link String} keys, nested at most 64 deep.
 * The constructor copies the data into an immutable canonical form (integral numbers become {@link
 * Long}, fractional ones {@link Double}) so that a record read back from a store equals the one
 * saved. Anything else is refused with a {@link SessionServiceException.Kind#SERIALIZATION} error
 * whose message names the offending key.
 *
 * <p>The key {@value #USER_ID_KEY}, when it holds a string, is the session's user: stores keep it
 * in an indexed column so that all of a user's sessions can be found and cleared.
 *
 * @param id the session id
 * @param data the session's attributes, as JSON values; copied, never {@code null}
 * @param expiryDate the instant from which the session no longer loads; kept to the millisecond
 */
public record SessionRecord(SessionId id, Map<String, Object> data, Instant expiryDate) {

  /** The data key whose string value identifies the session's user. */
  public static final String USER_ID_KEY = "user_id";

  /** The earliest expiry a record may have: what every backend's column can hold. */
  public static final Instant MIN_EXPIRY = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest expiry a record may have: what every backend's column can hold. */
  public static final Instant MAX_EXPIRY = Instant.parse("9999-12-31T23:59:59.999Z");

  /**
   * Validates and copies the data.
   *
   * @throws NullPointerException if {@code id}, {@code data} or {@code expiryDate} is null
   * @throws SessionServiceException of kind SERIALIZATION if data holds a non-JSON value, the user
   *     id is not {@linkplain #isStorableUserId storable}, or the expiry is outside {@link
   *     #MIN_EXPIRY}..{@link #MAX_EXPIRY}
   */
  public SessionRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(expiryDate, "expiryDate");
    if (expiryDate.isBefore(MIN_EXPIRY) || expiryDate.isAfter(MAX_EXPIRY)) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "SessionRecord.expiryDate must be between " + MIN_EXPIRY + " and " + MAX_EXPIRY + ".");
    }
    // both backends keep milliseconds; truncating here makes a loaded record equal the saved one
    expiryDate = expiryDate.truncatedTo(ChronoUnit.MILLIS);
    data = JsonValues.copyObject(data);
    if (data.get(USER_ID_KEY) instanceof String user) {
      checkUserId(user);
    }
  }

  /**
   * Checks that a value is a JSON value and returns its canonical, immutable copy: what a record
   * would hold for it. For session layers that validate an attribute as it is set.
   *
   * @param key the data key, named in the error
   * @param value the value
   * @return the canonical copy
   * @throws SessionServiceException of kind SERIALIZATION if the value is not a JSON value
   */
  public static Object toJsonValue(String key, Object value) {
    Object json = JsonValues.copyValue(value, Objects.requireNonNull(key, "key"));
    if (USER_ID_KEY.equals(key) && json instanceof String user) {
      checkUserId(user);
    }
    return json;
  }

  /**
   * Tells whether a backend can index a user id: it must hold no NUL (PostgreSQL text cannot) and
   * be well-formed UTF-16 (a lone surrogate would reach the database as '?', the id of another
   * user).
   *
   * @param userId the user id
   * @return whether it can be stored and matched exactly
   */
  public static boolean isStorableUserId(String userId) {
    for (int i = 0; i < userId.length(); i++) {
      char c = userId.charAt(i);
      if (c == '\0') {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= userId.length() || !Character.isLowSurrogate(userId.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static void checkUserId(String userId) {
    if (!isStorableUserId(userId)) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "Session data at '"
              + USER_ID_KEY
              + "' contains a NUL or an unpaired surrogate character, which no backend can index"
              + " exactly; remove it.");
    }
  }

  /**
   * Returns the session's user: {@code data["user_id"]} when it is a string.
   *
   * @return the user id, or empty when the key is absent or not a string
   */
  public Optional<String> userId() {
    return data.get(USER_ID_KEY) instanceof String user ? Optional.of(user) : Optional.empty();
  }

  /**
   * Returns a copy of this record with another id and the same data and expiry.
   *
   * @param newId the id of the copy
   * @return the copy
   */
  public SessionRecord withId(SessionId newId) {
    return new SessionRecord(newId, data, expiryDate);
  }

  /** Shows the redacted id, the data keys (not their values) and the expiry. */
  @Override
  public String toString() {
    return "SessionRecord[id="
        + id
        + ", keys="
        + data.keySet()
        + ", expiryDate="
        + expiryDate
        + "]";
  }
}

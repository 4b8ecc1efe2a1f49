package app.getbodhi.session;

import java.time.Duration;
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
 * <p>Besides its data a session keeps its lifecycle, so that it survives across requests and nodes:
 * when it was created, when a request last wrote it, and its own inactivity timeout when it has one
 * (otherwise the session layer's applies). A record built with the three-argument constructor has
 * no times yet; a store stamps them with its clock when it first writes the record. A record loaded
 * from a store always has both times.
 *
 * <p>{@code revision} counts the writes of a stored session: a store sets it to 0 when it inserts a
 * row and adds one on every write, so that {@link SessionStore#updateIfUnchanged} can refuse to
 * overwrite a change it has not seen.
 *
 * @param id the session id
 * @param data the session's attributes, as JSON values; copied, never {@code null}
 * @param expiryDate the instant from which the session no longer loads; kept to the millisecond
 * @param createdAt when the session was created, to the millisecond; empty until first stored
 * @param lastAccessedAt when a request last wrote the session, to the millisecond; empty until
 *     first stored
 * @param maxInactiveInterval the session's own inactivity timeout in whole seconds, or empty when
 *     the session layer's applies; zero or negative means the session never times out
 * @param revision the stored revision this record was read at; 0 for a record not read from a store
 */
public record SessionRecord(
    SessionId id,
    Map<String, Object> data,
    Instant expiryDate,
    Optional<Instant> createdAt,
    Optional<Instant> lastAccessedAt,
    Optional<Duration> maxInactiveInterval,
    long revision) {

  /** The data key whose string value identifies the session's user. */
  public static final String USER_ID_KEY = "user_id";

  /** The earliest expiry a record may have: what every backend's column can hold. */
  public static final Instant MIN_EXPIRY = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest expiry a record may have: what every backend's column can hold. */
  public static final Instant MAX_EXPIRY = Instant.parse("9999-12-31T23:59:59.999Z");

  /**
   * The longest own timeout a session may have: what the servlet API's {@code int} seconds and
   * every backend's column can hold.
   */
  public static final Duration MAX_INACTIVE_INTERVAL = Duration.ofSeconds(Integer.MAX_VALUE);

  /**
   * Validates and copies the data.
   *
   * @throws NullPointerException if a component is null
   * @throws SessionServiceException of kind SERIALIZATION if data holds a non-JSON value, the user
   *     id is not {@linkplain #isStorableUserId storable}, an instant is outside {@link
   *     #MIN_EXPIRY}..{@link #MAX_EXPIRY}, the timeout does not fit an {@code int} of seconds
   *     (longer than {@link #MAX_INACTIVE_INTERVAL}) or the revision is negative
   */
  public SessionRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
    // both backends keep milliseconds; truncating here makes a loaded record equal the saved one
    expiryDate = storableInstant(expiryDate, "expiryDate");
    createdAt =
        Objects.requireNonNull(createdAt, "createdAt").map(t -> storableInstant(t, "createdAt"));
    lastAccessedAt =
        Objects.requireNonNull(lastAccessedAt, "lastAccessedAt")
            .map(t -> storableInstant(t, "lastAccessedAt"));
    maxInactiveInterval =
        Objects.requireNonNull(maxInactiveInterval, "maxInactiveInterval")
            .map(SessionRecord::checkMaxInactiveInterval);
    if (revision < 0) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "SessionRecord.revision must not be negative, but is " + revision + ".");
    }
    data = JsonValues.copyObject(data);
    if (data.get(USER_ID_KEY) instanceof String user) {
      checkUserId(user);
    }
  }

  /**
   * A new session's record: no times yet (the store stamps them), the session layer's timeout, and
   * revision 0.
   *
   * @param id the session id
   * @param data the session's attributes, as JSON values
   * @param expiryDate the instant from which the session no longer loads
   * @throws SessionServiceException as the canonical constructor
   */
  public SessionRecord(SessionId id, Map<String, Object> data, Instant expiryDate) {
    this(id, data, expiryDate, Optional.empty(), Optional.empty(), Optional.empty(), 0);
  }

  private static Instant storableInstant(Instant instant, String name) {
    Objects.requireNonNull(instant, name);
    if (instant.isBefore(MIN_EXPIRY) || instant.isAfter(MAX_EXPIRY)) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "SessionRecord." + name + " must be between " + MIN_EXPIRY + " and " + MAX_EXPIRY + ".");
    }
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * Checks a session's own timeout and returns it as a record keeps it: in whole seconds.
   *
   * @param timeout the timeout; zero or negative means never
   * @return the timeout truncated to whole seconds
   * @throws SessionServiceException of kind SERIALIZATION when its seconds do not fit an {@code
   *     int}, as the servlet API's {@code setMaxInactiveInterval} takes them
   */
  public static Duration checkMaxInactiveInterval(Duration timeout) {
    long seconds = timeout.toSeconds();
    // the servlet API's int: any int is a valid timeout, and zero or less means never
    if (seconds < Integer.MIN_VALUE || seconds > Integer.MAX_VALUE) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "SessionRecord.maxInactiveInterval must be between "
              + Integer.MIN_VALUE
              + " and "
              + MAX_INACTIVE_INTERVAL.toSeconds()
              + " seconds, but is "
              + seconds
              + ".");
    }
    return Duration.ofSeconds(seconds);
  }

  /**
   * Tells whether this session never times out: its own timeout is zero or negative, as the servlet
   * API's {@code setMaxInactiveInterval} defines.
   *
   * @return whether the session has an own timeout of zero or less
   */
  public boolean neverTimesOut() {
    return maxInactiveInterval.filter(t -> t.isZero() || t.isNegative()).isPresent();
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
   * Tells whether a value is a JSON value a record can hold as it is (String, Number, Boolean,
   * List, Map with String keys, within the depth limit), for a layer that stores other values
   * through a codec.
   *
   * @param value the value, not null
   * @return whether {@link #toJsonValue} would take it
   */
  public static boolean isJsonValue(Object value) {
    try {
      JsonValues.copyValue(Objects.requireNonNull(value, "value"), "value");
      return true;
    } catch (SessionServiceException e) {
      return false;
    }
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
   * Returns a copy of this record with another id and everything else the same.
   *
   * @param newId the id of the copy
   * @return the copy
   */
  public SessionRecord withId(SessionId newId) {
    return new SessionRecord(
        newId, data, expiryDate, createdAt, lastAccessedAt, maxInactiveInterval, revision);
  }

  /**
   * Returns a copy of this record at another revision.
   *
   * @param newRevision the revision of the copy
   * @return the copy
   */
  public SessionRecord withRevision(long newRevision) {
    return new SessionRecord(
        id, data, expiryDate, createdAt, lastAccessedAt, maxInactiveInterval, newRevision);
  }

  /**
   * Returns a copy of this record with both times set, where they are not set yet: what a store
   * writes for a record it stamps at {@code now}.
   *
   * @param now the store clock's instant
   * @return this record when both times are set, else the stamped copy
   */
  public SessionRecord stampedAt(Instant now) {
    if (createdAt.isPresent() && lastAccessedAt.isPresent()) {
      return this;
    }
    return new SessionRecord(
        id,
        data,
        expiryDate,
        Optional.of(createdAt.orElse(now)),
        Optional.of(lastAccessedAt.orElse(now)),
        maxInactiveInterval,
        revision);
  }

  /** Shows the redacted id, the data keys (not their values), the times and the revision. */
  @Override
  public String toString() {
    return "SessionRecord[id="
        + id
        + ", keys="
        + data.keySet()
        + ", expiryDate="
        + expiryDate
        + ", createdAt="
        + createdAt.map(Instant::toString).orElse("unset")
        + ", lastAccessedAt="
        + lastAccessedAt.map(Instant::toString).orElse("unset")
        + ", maxInactiveInterval="
        + maxInactiveInterval.map(Duration::toString).orElse("default")
        + ", revision="
        + revision
        + "]";
  }
}

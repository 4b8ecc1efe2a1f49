package app.getbodhi.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored session exactly as the database holds it: its ref and its sealed (encrypted) data,
 * which only the session's id can open, with the columns that stay readable. {@link
 * ManagedSessionStore#loadSealedPage} reads these and {@link ManagedSessionStore#saveAllSealed}
 * writes them verbatim, so sessions can be copied from one store to another without any key.
 *
 * <p>The data array is not copied on the way in or out; treat it as read-only. Two instances are
 * equal when every component is, the data compared by content.
 *
 * @param ref the row key
 * @param sealedData the sealed data, as the store wrote it
 * @param userId the indexed user column, or empty
 * @param expiryDate when the session expires
 * @param createdAt when it was created
 * @param lastAccessedAt when a request last wrote it
 * @param maxInactiveInterval its own timeout, or empty when the session layer's applies
 * @param revision its revision
 */
public record SealedSession(
    SessionRef ref,
    byte[] sealedData,
    Optional<String> userId,
    Instant expiryDate,
    Instant createdAt,
    Instant lastAccessedAt,
    Optional<Duration> maxInactiveInterval,
    long revision) {

  /** Checks that no component is null. */
  public SealedSession {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(sealedData, "sealedData");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(expiryDate, "expiryDate");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastAccessedAt, "lastAccessedAt");
    Objects.requireNonNull(maxInactiveInterval, "maxInactiveInterval");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SealedSession that
        && ref.equals(that.ref)
        && Arrays.equals(sealedData, that.sealedData)
        && userId.equals(that.userId)
        && expiryDate.equals(that.expiryDate)
        && createdAt.equals(that.createdAt)
        && lastAccessedAt.equals(that.lastAccessedAt)
        && maxInactiveInterval.equals(that.maxInactiveInterval)
        && revision == that.revision;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ref, Arrays.hashCode(sealedData), expiryDate, revision);
  }

  /** Names the ref and sizes, without the data or the user. */
  @Override
  public String toString() {
    return "SealedSession[ref="
        + ref
        + ", "
        + sealedData.length
        + " bytes, expires "
        + expiryDate
        + ", revision "
        + revision
        + "]";
  }
}

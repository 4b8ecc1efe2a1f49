package app.getbodhi.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ManagedSessionStore#streamAllSessions(int)} and {@link
 * ManagedSessionStore#getSessionsForUser} list about one session: its ref (the store keeps no ids),
 * its user (when it has one), its expiry and its times, without the data. Enough for a "your
 * devices" page.
 *
 * @param ref the session's row key, safe to show
 * @param userId the session's user, or empty
 * @param expiryDate when the session expires
 * @param createdAt when it was created, when the store knows
 * @param lastAccessedAt when a request last wrote it, when the store knows
 */
public record SessionSummary(
    SessionRef ref,
    Optional<String> userId,
    Instant expiryDate,
    Optional<Instant> createdAt,
    Optional<Instant> lastAccessedAt) {

  /** Checks that no component is null. */
  public SessionSummary {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(expiryDate, "expiryDate");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastAccessedAt, "lastAccessedAt");
  }

  /**
   * A summary without times.
   *
   * @param ref the session's row key
   * @param userId the session's user, or empty
   * @param expiryDate when the session expires
   */
  public SessionSummary(SessionRef ref, Optional<String> userId, Instant expiryDate) {
    this(ref, userId, expiryDate, Optional.empty(), Optional.empty());
  }
}

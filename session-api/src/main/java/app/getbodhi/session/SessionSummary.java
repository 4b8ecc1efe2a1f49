package app.getbodhi.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ManagedSessionStore#dumpAllSessions()} lists about one session: its ref (the store
 * keeps no ids), its user (when it has one) and its expiry, without the data.
 *
 * @param ref the session's row key, safe to show
 * @param userId the session's user, or empty
 * @param expiryDate when the session expires
 */
public record SessionSummary(SessionRef ref, Optional<String> userId, Instant expiryDate) {

  /** Checks that no component is null. */
  public SessionSummary {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(expiryDate, "expiryDate");
  }
}

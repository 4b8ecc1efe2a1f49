package app.getbodhi.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ManagedSessionStore#dumpAllSessions()} lists about one session: its id, its user
 * (when it has one) and its expiry, without the data.
 *
 * @param id the session id
 * @param userId the session's user, or empty
 * @param expiryDate when the session expires
 */
public record SessionSummary(SessionId id, Optional<String> userId, Instant expiryDate) {

  /** Checks that no component is null. */
  public SessionSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(expiryDate, "expiryDate");
  }
}

package app.getbodhi.session.example;

import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the "your devices" page does with a user's sessions, the same on either stack: the order it
 * shows them in, and the check that a ref a browser posts is one of them.
 */
public final class DeviceList {

  private DeviceList() {}

  /**
   * A user's sessions, oldest first: by when each logged in, a session stored without that time by
   * its expiry.
   *
   * @param sessions the store's summaries of the user's sessions
   * @return them in page order
   */
  public static List<SessionSummary> oldestFirst(Collection<SessionSummary> sessions) {
    return sessions.stream()
        .sorted(Comparator.comparing((SessionSummary s) -> s.createdAt().orElse(s.expiryDate())))
        .toList();
  }

  /**
   * The ref of one of the user's own sessions, as a form posted it.
   *
   * @param sessions the user's sessions
   * @param ref the posted ref, any text
   * @return that session's ref, or empty when it is none of them (another user's or no session: the
   *     caller answers both the same, so a ref reveals nothing)
   */
  public static Optional<SessionRef> own(Collection<SessionSummary> sessions, String ref) {
    return sessions.stream()
        .map(SessionSummary::ref)
        .filter(r -> r.value().equals(ref))
        .findFirst();
  }
}

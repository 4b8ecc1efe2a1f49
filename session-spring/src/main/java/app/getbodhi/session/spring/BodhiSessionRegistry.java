package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.session.Session;

/**
 * A Spring Security {@link SessionRegistry} over the store, so that {@code maximumSessions(n)} and
 * "expire every session of this user" work across every node that shares the store. Spring
 * Session's own {@code SpringSessionBackedSessionRegistry} over the {@link BodhiSessionRepository}
 * works too; this one reads less (no session data for a listing) and ends sessions the same way.
 *
 * <p>The store is sealed and knows sessions by {@linkplain SessionRef ref}, never by id: {@link
 * #getAllSessions} returns one {@link SessionInformation} per live session of the principal, its
 * session id being the ref, and {@link SessionInformation#expireNow()} deletes that session at once
 * (so the browser holding it is logged out on its next request, on any node). {@link
 * #getSessionInformation} takes an id (what Spring Security's {@code ConcurrentSessionFilter}
 * passes) or a ref. Registering and refreshing are the store's own business (the principal name is
 * indexed as the session is saved, the last-access time kept by its writes), so those calls do
 * nothing. Thread-safe.
 */
public final class BodhiSessionRegistry implements SessionRegistry {

  /** Summaries read per query by {@link #getAllPrincipals()}. */
  static final int PRINCIPALS_PAGE = 1_000;

  private final BodhiSessionRepository repository;
  private final ManagedSessionStore store;
  private final Clock clock;

  /**
   * A registry over a repository's store; the repository's clock tells which sessions expired.
   *
   * @param repository the repository Spring Session's filter uses
   */
  public BodhiSessionRegistry(BodhiSessionRepository repository) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.store = repository.store();
    this.clock = repository.clock();
  }

  /**
   * Lists the principal names of every live session: the store reads each row's user and expiry,
   * never its data, a page at a time, so the cost grows with the number of sessions. For an
   * administration page, not for a request path.
   *
   * @return the distinct names, as strings
   */
  @Override
  public List<Object> getAllPrincipals() {
    Instant now = clock.instant();
    try (Stream<SessionSummary> all = store.streamAllSessions(PRINCIPALS_PAGE)) {
      return all.filter(summary -> summary.expiryDate().isAfter(now))
          .map(SessionSummary::userId)
          .flatMap(Optional::stream)
          .distinct()
          .map(Object.class::cast)
          .toList();
    }
  }

  /**
   * Lists a principal's live sessions, least recently used first.
   *
   * @param principal a principal: a {@link UserDetails}, an {@link AuthenticatedPrincipal}, a
   *     {@link Principal}, or a name
   * @param includeExpiredSessions ignored: an expired session is deleted, never listed
   * @return one entry per live session, its id being the session's ref
   */
  @Override
  public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
    String name = nameOf(principal);
    List<SessionInformation> sessions = new ArrayList<>();
    for (SessionSummary summary : store.getSessionsForUser(name)) {
      sessions.add(
          new StoreSessionInformation(
              principal,
              summary.ref(),
              summary.lastAccessedAt().orElse(summary.expiryDate()),
              store));
    }
    sessions.sort((a, b) -> a.getLastRequest().compareTo(b.getLastRequest()));
    return sessions;
  }

  /**
   * Describes one session.
   *
   * <ul>
   *   <li>An id: the session's principal name and last access, or {@code null} when it names no
   *       live session. Inside a request that already loaded that session (Spring Security's {@code
   *       ConcurrentSessionFilter} on every request) this costs no statement. Expired if Spring
   *       Session's registry marked it so.
   *   <li>A ref: {@code null} when it names no stored session, else its information, with the
   *       principal and times unknown (see {@link ListedSession}); expiring it deletes it.
   * </ul>
   *
   * @param sessionId an id or a ref
   * @return the information, or {@code null}
   */
  @Override
  public SessionInformation getSessionInformation(String sessionId) {
    Session session = repository.findById(sessionId);
    if (session instanceof BodhiSession bodhi) {
      SessionInformation information =
          new SessionInformation(
              bodhi.principalName().orElse(""), sessionId, Date.from(bodhi.getLastAccessedTime()));
      if (Boolean.TRUE.equals(bodhi.getAttribute(ListedSession.SPRING_EXPIRED_ATTRIBUTE))) {
        information.expireNow();
      }
      return information;
    }
    if (session instanceof ListedSession listed) {
      return new StoreSessionInformation("", listed.ref(), listed.getLastAccessedTime(), store);
    }
    return null;
  }

  /** Does nothing: the store records the time of each write itself. */
  @Override
  public void refreshLastRequest(String sessionId) {}

  /** Does nothing: the principal name is indexed when the session is saved. */
  @Override
  public void registerNewSession(String sessionId, Object principal) {}

  /** Does nothing: a session leaves the store when it is invalidated or expires. */
  @Override
  public void removeSessionInformation(String sessionId) {}

  static String nameOf(Object principal) {
    if (principal instanceof UserDetails user) {
      return user.getUsername();
    }
    if (principal instanceof AuthenticatedPrincipal authenticated) {
      return authenticated.getName();
    }
    if (principal instanceof Authentication authentication) {
      return authentication.getName();
    }
    if (principal instanceof Principal named) {
      return named.getName();
    }
    return String.valueOf(principal);
  }

  /** One stored session, by ref; expiring it deletes it. */
  private static final class StoreSessionInformation extends SessionInformation {
    private static final long serialVersionUID = 1L;

    private final transient ManagedSessionStore store;
    private final SessionRef ref;

    StoreSessionInformation(
        Object principal, SessionRef ref, Instant lastRequest, ManagedSessionStore store) {
      super(principal, ref.value(), Date.from(lastRequest));
      this.store = store;
      this.ref = ref;
    }

    @Override
    public void expireNow() {
      super.expireNow();
      store.delete(ref);
    }
  }
}

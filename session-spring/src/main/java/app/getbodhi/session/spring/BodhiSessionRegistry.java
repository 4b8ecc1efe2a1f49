package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A Spring Security {@link SessionRegistry} over the store, so that {@code maximumSessions(n)} and
 * "expire every session of this user" work across every node that shares the store.
 *
 * <p>The store is sealed and knows sessions by {@linkplain SessionRef ref}, never by id: {@link
 * #getAllSessions} returns one {@link SessionInformation} per live session of the principal, its
 * session id being the ref, and {@link SessionInformation#expireNow()} deletes that session at once
 * (so the browser holding it is logged out on its next request, on any node). Registering and
 * refreshing are the store's own business (the principal name is indexed as the session is saved,
 * the last-access time kept by its writes), so those calls do nothing, and {@link
 * #getSessionInformation} answers {@code null}: a session expired through this registry no longer
 * exists, which is what a request finds first.
 *
 * <p>{@link #getAllPrincipals()} is empty: listing every user would read the whole table.
 * Thread-safe.
 */
public final class BodhiSessionRegistry implements SessionRegistry {

  private final ManagedSessionStore store;

  /**
   * A registry over a store.
   *
   * @param store the store the session repository uses
   */
  public BodhiSessionRegistry(ManagedSessionStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Empty: see the class comment. */
  @Override
  public List<Object> getAllPrincipals() {
    return List.of();
  }

  /**
   * Lists a principal's live sessions, least recently written first.
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
      sessions.add(new StoreSessionInformation(principal, summary, store));
    }
    sessions.sort((a, b) -> a.getLastRequest().compareTo(b.getLastRequest()));
    return sessions;
  }

  /** {@code null}: see the class comment. */
  @Override
  public SessionInformation getSessionInformation(String sessionId) {
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

  /** One stored session; expiring it deletes it. */
  private static final class StoreSessionInformation extends SessionInformation {
    private static final long serialVersionUID = 1L;

    private final transient ManagedSessionStore store;
    private final SessionRef ref;

    StoreSessionInformation(Object principal, SessionSummary summary, ManagedSessionStore store) {
      super(
          principal,
          summary.ref().value(),
          Date.from(summary.lastAccessedAt().orElse(summary.expiryDate())));
      this.store = store;
      this.ref = summary.ref();
    }

    @Override
    public void expireNow() {
      super.expireNow();
      store.delete(ref);
    }
  }
}

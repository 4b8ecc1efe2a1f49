package app.getbodhi.session.service;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.web.SessionManagerLayer;

/**
 * The application-facing session service: the session layer to install in front of the application,
 * and the operations an application needs on sessions as a whole.
 *
 * <p>Names: {@link #sessionLayer()} and {@link #getSessionStore()} are part of the published API,
 * which is why one of them has a {@code get} prefix and the other does not. Every other accessor of
 * this API is named as {@link #sessionLayer()} is, without {@code get}: {@code
 * DefaultSessionService.backend()} and {@code cleaner()}, {@code SessionStoreBackend.store()} and
 * {@code kind()}.
 *
 * <p>Implementations are thread-safe.
 */
public interface SessionService {

  /**
   * Returns the session layer (store plus cookie settings) to apply to the application: with {@code
   * SessionManagerFilter} from the session-servlet module in a servlet application, or through
   * {@link app.getbodhi.session.web.SessionHandle} for another framework.
   *
   * @return the layer
   */
  SessionManagerLayer sessionLayer();

  /**
   * Deletes every session of a user: logs them out everywhere on their next request.
   *
   * @param userId the user, matched exactly
   * @return how many sessions were deleted; 0 when the user has none
   */
  int clearSessionsForUser(String userId);

  /**
   * Deletes every session: logs everyone out.
   *
   * @return how many sessions were deleted
   */
  int clearAllSessions();

  /**
   * Counts a user's live sessions.
   *
   * @param userId the user, matched exactly
   * @return the number of sessions
   */
  int countSessionsForUser(String userId);

  /**
   * Returns the store behind this service, for administration and test utilities: the store {@link
   * #sessionLayer()} keeps sessions in (on the name, see the class comment).
   *
   * @return the store
   */
  ManagedSessionStore getSessionStore();
}

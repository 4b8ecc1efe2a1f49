package app.getbodhi.session.service;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.web.SessionManagerLayer;

/**
 * The application-facing session service: the session layer to install in front of the application,
 * and the operations an application needs on sessions as a whole.
 *
 * <p>Implementations are thread-safe.
 */
public interface SessionService {

  /**
   * Returns the session layer (store plus cookie settings) to apply to the application, for example
   * with {@code SessionManagerFilter}.
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
   * Returns the store behind this service, for administration and test utilities.
   *
   * @return the store
   */
  ManagedSessionStore getSessionStore();
}

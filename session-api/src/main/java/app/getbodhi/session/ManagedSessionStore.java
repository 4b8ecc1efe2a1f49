package app.getbodhi.session;

import java.util.List;

/**
 * A {@link SessionStore} with the administration a backend offers on top: schema migration,
 * per-user queries and clean-up. Backends ({@code SqliteSessionStore}, {@code PgSessionStore})
 * implement it; {@code SessionStoreBackend} wraps whichever one the URL picked.
 *
 * <p>Thread-safe. Expiry is judged against the store's injected {@link java.time.Clock}.
 */
public interface ManagedSessionStore extends SessionStore, AutoCloseable {

  /**
   * Creates or upgrades the schema. Safe on an empty database, on one that holds other tables, on a
   * legacy session table without a user column (rows are kept), when run twice, and when several
   * nodes run it at once.
   *
   * @throws SessionServiceException of kind MIGRATION when the schema cannot be brought up to date
   */
  void migrate();

  /**
   * Deletes every session of a user (expired ones too), logging them out everywhere.
   *
   * @param userId the user, matched exactly (no wildcards)
   * @return how many sessions were deleted; 0 when the user has none
   */
  int clearSessionsForUser(String userId);

  /**
   * Deletes every session.
   *
   * @return how many sessions were deleted
   */
  int clearAllSessions();

  /**
   * Counts a user's live sessions; expired ones are not counted, even before {@link
   * #deleteExpired()} removes them.
   *
   * @param userId the user, matched exactly
   * @return the number of sessions
   */
  int countSessionsForUser(String userId);

  /**
   * Lists the ids of a user's live (unexpired) sessions.
   *
   * @param userId the user, matched exactly
   * @return the ids, in no particular order; empty when the user has none
   */
  List<SessionId> getSessionIdsForUser(String userId);

  /**
   * Lists every stored session without its data, expired ones included, for debugging and
   * administration.
   *
   * @return one summary per stored session, ordered by id
   */
  List<SessionSummary> dumpAllSessions();

  /**
   * Deletes the sessions whose expiry is at or before the store clock's now, in bounded batches.
   *
   * @return how many sessions were deleted
   */
  int deleteExpired();

  /**
   * Names the backend, as its provider does: {@code "sqlite"} or {@code "postgres"}.
   *
   * @return the backend name
   */
  String backendName();

  /**
   * Closes the connection pool this store opened; a store built on a caller's DataSource leaves it
   * open.
   */
  @Override
  void close();
}

package app.getbodhi.session;

import java.util.Optional;

/**
 * Where sessions live: the four operations a session layer needs on every request.
 *
 * <p>Implementations are thread-safe: one instance serves every request of an application. Each
 * method runs one statement (or, for {@link #create}, one per id drawn) in its own transaction.
 * Failures of the database surface as {@link SessionServiceException} of kind {@code DATABASE}.
 */
public interface SessionStore {

  /**
   * Inserts a new session. If the record's id is already taken, new ids are drawn until an insert
   * succeeds; the check is the insert itself (insert-if-absent), so two racing creators never share
   * an id and an existing session is never overwritten.
   *
   * @param record the session to insert
   * @return the record as stored: the same, or a copy with the id actually used
   */
  SessionRecord create(SessionRecord record);

  /**
   * Inserts or replaces a session: its data, its expiry and its user id (the {@code user_id} data
   * key, or none when that key is absent) in one statement.
   *
   * @param record the session to store
   */
  void save(SessionRecord record);

  /**
   * Replaces an existing session's data, expiry and user id in one statement, and writes nothing
   * when no session has the record's id. A session layer saves a loaded session with this, so a
   * session deleted meanwhile (logged out everywhere, or invalidated by another request) is not
   * brought back by a request that was already running.
   *
   * <p>The default implementation checks with {@link #load} and then calls {@link #save}, which is
   * not atomic; the SQL stores override it with a single {@code UPDATE}.
   *
   * @param record the session to store
   * @return whether a session was updated; false when it no longer exists
   */
  default boolean update(SessionRecord record) {
    if (load(record.id()).isEmpty()) {
      return false;
    }
    save(record);
    return true;
  }

  /**
   * Loads a session.
   *
   * @param id the id to look up
   * @return the session, or empty when no session has this id or the session has expired
   */
  Optional<SessionRecord> load(SessionId id);

  /**
   * Deletes a session. Deleting an id that does not exist does nothing: the call is idempotent.
   *
   * @param id the id to delete
   */
  void delete(SessionId id);
}

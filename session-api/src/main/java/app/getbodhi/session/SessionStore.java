package app.getbodhi.session;

import java.util.Optional;
import java.util.function.Function;

/**
 * Where sessions live: the operations a session layer needs on every request.
 *
 * <p>Implementations are thread-safe: one instance serves every request of an application. Each
 * method runs one statement (or, for {@link #create}, one per id drawn) in its own transaction,
 * except {@link #rotate}, whose delete and insert share one. While a store is configured with a
 * previous secret (see {@code SessionStoreConfig#previousSecret}), a session may be stored under
 * either of two row keys: {@link #load} and {@link #delete} still run one statement, matching both
 * keys at once, but {@link #save}, {@link #updateIfUnchanged}, {@link #modify} and {@link #rotate}
 * each run one more in the same transaction, before the write, that deletes the row under the
 * previous key, so that the session keeps one row, under the current key. Failures of the database
 * surface as {@link SessionServiceException} of kind {@code DATABASE}.
 *
 * <h2>Concurrency rules</h2>
 *
 * <ul>
 *   <li><b>Deletion wins.</b> Of the writes a session layer uses, {@link #updateIfUnchanged},
 *       {@link #modify} and {@link #rotate} write only to a row that still exists, so a session
 *       deleted by another request or node (logged out everywhere, invalidated) is never brought
 *       back. Only {@link #save} inserts whatever it is given; it is for copying stores, not for
 *       requests.
 *   <li><b>Revisions.</b> Every stored session has a revision that each write increases. {@link
 *       #updateIfUnchanged} and {@link #rotate} write only when the row is still at the revision
 *       the caller loaded, so a caller learns of a concurrent change instead of overwriting it, and
 *       can reload, re-apply its own changes and try again (which is how the session layer merges
 *       changes of parallel requests to different keys).
 *   <li><b>Times.</b> A record without times is stamped with the store's clock when first written;
 *       {@link #load} returns both times.
 * </ul>
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
   * Inserts or replaces a session: its data, its expiry, its user id (the {@code user_id} data key,
   * or none when that key is absent), its times and its timeout, in one statement (two while a
   * previous secret is configured, see above). Unlike every other write it does not care what is
   * stored: it re-creates a deleted session. It is meant for copying sessions between stores; a
   * session layer uses {@link #updateIfUnchanged}.
   *
   * @param record the session to store
   */
  void save(SessionRecord record);

  /**
   * Replaces a session's data, expiry, user id, last access time and own timeout, but only while
   * the stored session is live and still at {@code record.revision()}; the stored revision then
   * grows by one. The creation time is kept as stored. The check is part of the update statement,
   * so no concurrent write can slip in between.
   *
   * @param record the session to store, at the revision it was loaded at
   * @return true when written (the stored revision is now {@code record.revision() + 1}); false
   *     when the session is gone, has expired, or was changed by someone else since it was loaded
   *     (load it again to tell which)
   */
  boolean updateIfUnchanged(SessionRecord record);

  /**
   * Reads a live session and writes what {@code change} makes of it, in one transaction that keeps
   * the row locked in between (PostgreSQL: {@code SELECT ... FOR UPDATE}; SQLite: the database's
   * write lock), so no concurrent write can slip in and the write cannot conflict. A session layer
   * uses it after {@link #updateIfUnchanged} reported a conflict: one reload and one update, with
   * no further retries. {@code change} runs inside the transaction, so it must be quick and must
   * not touch the store.
   *
   * @param id the session
   * @param change given the session as stored, returns what to write (same id; its revision is
   *     ignored), or empty to write nothing
   * @return the session as stored afterwards: what was written, at the next revision, or the
   *     session as read when {@code change} returned empty; empty when no live session has this id,
   *     in which case {@code change} is not called
   */
  Optional<SessionRecord> modify(
      SessionId id, Function<SessionRecord, Optional<SessionRecord>> change);

  /**
   * Moves a session to a new id, atomically: in one transaction the old row is deleted and {@code
   * to} inserted, but only when the old row still exists, is live and is at {@code to.revision()}.
   * If {@code to}'s id is taken, new ids are drawn as {@link #create} does. The new row keeps
   * {@code to}'s creation time and starts at revision 0. A session layer uses it to change the id
   * at login (the defence against session fixation) without ever re-creating a session that was
   * deleted meanwhile.
   *
   * @param from the id the session has now
   * @param to the session under its new id, at the revision {@code from} was loaded at
   * @return the record as stored under its new id; empty, with nothing written, when the old
   *     session is gone, has expired, or was changed since it was loaded (load it to tell which)
   */
  Optional<SessionRecord> rotate(SessionId from, SessionRecord to);

  /**
   * Loads a session.
   *
   * @param id the id to look up
   * @return the session with its times and revision, or empty when no session has this id or the
   *     session has expired
   */
  Optional<SessionRecord> load(SessionId id);

  /**
   * Deletes a session. Deleting an id that does not exist does nothing: the call is idempotent.
   *
   * @param id the id to delete
   */
  void delete(SessionId id);
}

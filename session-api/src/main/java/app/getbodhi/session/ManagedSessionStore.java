package app.getbodhi.session;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A {@link SessionStore} with the administration a backend offers on top: schema migration,
 * per-user queries and clean-up. Backends ({@code SqliteSessionStore}, {@code PgSessionStore})
 * implement it; {@code SessionStoreBackend} wraps whichever one the URL picked. A decorator (such
 * as {@code MeteredSessionStore}) extends {@code ForwardingSessionStore} in session-service, which
 * forwards every method here.
 *
 * <p>Thread-safe. Expiry is judged against the store's injected {@link java.time.Clock}.
 */
public interface ManagedSessionStore extends SessionStore, AutoCloseable {

  /**
   * Creates or upgrades the schema, and seals every session stored before sealing existed (see
   * "Sealed storage" in the README). Safe on an empty database, on one that holds other tables, on
   * a legacy session table without a user column (rows are kept), when run twice, and when several
   * nodes run it at once. Sealing commits one page of rows at a time and skips rows already sealed,
   * so a run that was interrupted is finished by the next one.
   *
   * @return what was done, with any advice for the operator
   * @throws SessionServiceException of kind MIGRATION when the schema cannot be brought up to date
   */
  MigrationReport migrate();

  /** The most records one {@link #saveAll} call takes, so that no transaction grows unbounded. */
  int MAX_SAVE_ALL = 10_000;

  /**
   * Saves several sessions, each as {@link #save} would (insert, or overwrite what is stored under
   * its id): for importing sessions in bulk, where one transaction per session would cost far more
   * than the writing. To copy a store, use {@link #saveAllSealed}.
   *
   * <p>The SQL backends encode every record before writing any and then write all of them in one
   * transaction: a record that cannot be stored (too large, for one) or a database error leaves the
   * store as it was. This default is not atomic: it saves the records one at a time, so a failure
   * keeps those saved before it. A store that can do better overrides it.
   *
   * @param records the sessions, at most {@link #MAX_SAVE_ALL}; of two with the same id, the later
   *     one is stored
   * @throws IllegalArgumentException if there are more than {@link #MAX_SAVE_ALL} records
   * @throws SessionServiceException of kind SERIALIZATION if a record cannot be encoded, DATABASE
   *     if the write fails
   */
  default void saveAll(List<SessionRecord> records) {
    checkSaveAllSize(records);
    records.forEach(this::save);
  }

  /**
   * Checks the argument of {@link #saveAll}.
   *
   * @param records the records
   * @throws IllegalArgumentException if there are more than {@link #MAX_SAVE_ALL}
   */
  static void checkSaveAllSize(List<?> records) {
    if (records.size() > MAX_SAVE_ALL) {
      throw new IllegalArgumentException(
          "saveAll takes at most "
              + MAX_SAVE_ALL
              + " records (ManagedSessionStore.MAX_SAVE_ALL), but got "
              + records.size()
              + "; split them.");
    }
  }

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
   * Lists a user's live (unexpired) sessions with their times, by ref: what a "your devices" page
   * or a session registry shows. One indexed query.
   *
   * @param userId the user, matched exactly
   * @return the sessions, ordered by ref; empty when the user has none
   */
  List<SessionSummary> getSessionsForUser(String userId);

  /**
   * Returns the ref the store keeps a session under: a one-way function of the id (and the server
   * secret, when one is set). Computed, not looked up: the session need not exist.
   *
   * @param id the session id
   * @return its ref
   */
  SessionRef refOf(SessionId id);

  /**
   * Deletes the session stored under a ref, whatever its expiry: revoking one device of a user.
   * Deleting a ref no session has does nothing.
   *
   * @param ref the session's ref
   * @return whether a session was deleted
   */
  boolean delete(SessionRef ref);

  /**
   * Finds the refs that start with a prefix, for an operator who typed the first characters of one
   * ({@code bodhi-sessions sessions revoke}). Expired sessions are included.
   *
   * @param prefix the first characters; only URL-safe base64 characters can match
   * @param limit the most refs to return; positive
   * @return the matching refs, ordered by ref
   */
  List<SessionRef> findRefsByPrefix(String prefix, int limit);

  /**
   * Reads one page of session summaries, expired ones included: keyset paging by ref, so each page
   * is one short indexed query and memory stays bounded however large the table.
   *
   * @param after the last ref of the previous page, or empty for the first page
   * @param limit the most summaries to return; positive
   * @return the summaries with refs greater than {@code after}, ordered by ref
   */
  List<SessionSummary> dumpPage(Optional<SessionRef> after, int limit);

  /**
   * Reads one page of live (unexpired) sessions exactly as stored, sealed, by keyset paging as
   * {@link #dumpPage}: for copying a store with {@link #saveAllSealed}. No key is needed and none
   * is used.
   *
   * @param after the last ref of the previous page, or empty for the first page
   * @param limit the most sessions to return; positive
   * @return the live sessions with refs greater than {@code after}, ordered by ref
   */
  List<SealedSession> loadSealedPage(Optional<SessionRef> after, int limit);

  /**
   * Writes sessions exactly as another store holds them (from {@link #loadSealedPage}), each
   * inserted or overwriting what is stored under its ref, all in one transaction. The copies open
   * only in a store with the same server secret (or none, if the source had none).
   *
   * @param sessions at most {@link #MAX_SAVE_ALL}; of two with the same ref, the later is stored
   * @throws IllegalArgumentException if there are more than {@link #MAX_SAVE_ALL}
   * @throws SessionServiceException of kind SERIALIZATION if one is larger than the store accepts,
   *     DATABASE if the write fails; either way nothing is written
   */
  void saveAllSealed(List<SealedSession> sessions);

  /**
   * Streams every stored session summary, one page at a time; memory holds one page.
   *
   * @param pageSize summaries per query
   * @return a lazy stream, ordered by ref
   */
  default Stream<SessionSummary> streamAllSessions(int pageSize) {
    return paged(pageSize, this::dumpPage, SessionSummary::ref);
  }

  /**
   * Streams every live session as stored, sealed, one page at a time; memory holds one page.
   *
   * @param pageSize sessions per query
   * @return a lazy stream, ordered by ref
   */
  default Stream<SealedSession> streamSealedSessions(int pageSize) {
    return paged(pageSize, this::loadSealedPage, SealedSession::ref);
  }

  private static <T> Stream<T> paged(
      int pageSize,
      BiFunction<Optional<SessionRef>, Integer, List<T>> fetch,
      Function<T, SessionRef> refOf) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    Iterator<T> pages =
        new Iterator<>() {
          private List<T> page = fetch.apply(Optional.empty(), pageSize);
          private int index;

          @Override
          public boolean hasNext() {
            if (index < page.size()) {
              return true;
            }
            if (page.size() < pageSize) {
              return false;
            }
            page = fetch.apply(Optional.of(refOf.apply(page.get(page.size() - 1))), pageSize);
            index = 0;
            return !page.isEmpty();
          }

          @Override
          public T next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.get(index++);
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            pages, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT),
        false);
  }

  /**
   * Deletes the sessions whose expiry is at or before the store clock's now, in bounded batches.
   *
   * @return how many sessions were deleted
   */
  int deleteExpired();

  /**
   * Checks, cheaply, whether the store can serve requests now: for a health endpoint or a readiness
   * probe, called every few seconds. Never throws for a store that is down: the result says so, and
   * why.
   *
   * <p>This default looks up an id that no session has, one round trip on the request path: any
   * store that answers it can serve sessions. It cannot tell the schema version; the SQL stores
   * override it with one connection, one trivial query and a read of the schema history. A
   * decorator delegates it to the store it wraps.
   *
   * @return what the check found
   */
  default StoreHealth health() {
    try {
      load(SessionId.generate());
      return StoreHealth.up(backendName(), Optional.empty());
    } catch (SessionServiceException e) {
      // its messages are built to be shown: no ids, no passwords
      return StoreHealth.down(backendName(), e.getMessage());
    } catch (RuntimeException e) {
      return StoreHealth.down(
          backendName(), "The session store failed the check: " + e.getClass().getSimpleName());
    }
  }

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

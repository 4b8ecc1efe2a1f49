package app.getbodhi.session.web;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One request's view of its session, independent of any web framework: what a session layer needs
 * between reading the cookie and writing the response.
 *
 * <ul>
 *   <li><b>Lazy:</b> nothing touches the store until the session is read or written.
 *   <li><b>Never adopts a client's id:</b> the cookie only selects a session that already exists
 *       and has not expired. A malformed, unknown or expired id, or a row whose data cannot be
 *       read, counts as no session, and a session created afterwards gets a fresh id.
 *   <li><b>Change tracking:</b> {@link #commit(boolean)} writes only when something changed (one
 *       update), or when the last write is older than the session's access granularity, so most
 *       reads never write.
 *   <li><b>Fixation defence:</b> {@link #rotateId()} moves the session to a new id with the store's
 *       atomic {@link SessionStore#rotate}.
 * </ul>
 *
 * <h2>Concurrent requests on one session</h2>
 *
 * Each request has its own handle and its own copy of the data. The handle remembers which keys
 * this request put or removed and whether it set the timeout, and writes with {@link
 * SessionStore#updateIfUnchanged}, conditional on the revision it loaded. The uncontended path
 * costs one {@code SELECT} and one {@code UPDATE}; a conflict costs one reload and one update per
 * retry.
 *
 * <ul>
 *   <li><b>Deletion wins.</b> A session deleted while the request ran (logged out everywhere,
 *       invalidated or rotated by another request, expired) is never written back: no path of this
 *       class re-creates a deleted row. When a plain update finds the row gone, the request ends
 *       with no session and sends no cookie. When a rotation (a login) finds it gone, the keys this
 *       request itself put, and only those, start a fresh session under a fresh id, so a login that
 *       lands just after "log out everywhere" still logs that browser in but carries nothing of the
 *       deleted session; a rotating request that put nothing ends with no session.
 *   <li><b>Per-key merge.</b> When the row changed since it was loaded, the handle re-applies only
 *       its own changes (keys put or removed, and its timeout) to the row as stored, with {@link
 *       SessionStore#modify}, which holds the row locked between that read and the write, so the
 *       retry cannot conflict again. Changes to different keys by parallel requests therefore all
 *       survive. A rotation cannot merge under a lock (it moves the row), so it reloads and tries
 *       again, at most {@value #MAX_WRITE_ATTEMPTS} times, then fails with a {@code DATABASE}
 *       error.
 *   <li><b>Same key:</b> the request that commits last wins.
 * </ul>
 *
 * <h2>Lifecycle</h2>
 *
 * The session keeps its creation time, its last access time and its own timeout in the store. A
 * session with timeout {@code T} and access granularity {@code g} ({@link
 * SessionManagerLayer#granularityFor}) lives at least {@code T} after its last request and at most
 * {@code T + g}: a request that only reads writes nothing unless the last write is older than
 * {@code g}, and every write stores the expiry {@code access + T + g}. {@link #lastAccessedTime()}
 * is the access time of the last write, so {@code g} is its precision: it is at most {@code g}
 * before the client's latest request. That is the price of reads that do not write.
 *
 * <p>A timeout of zero or less means the session never times out while its cookie can reach it:
 * with a browser-session cookie it is stored with {@link SessionRecord#MAX_EXPIRY}, so the
 * expired-session cleanup never removes it; with a Max-Age cookie it lives as long as that cookie
 * (the Max-Age is then its timeout), since no browser can present its id afterwards.
 *
 * <p>Not thread-safe: one handle belongs to one request.
 */
public final class SessionHandle {

  /**
   * How many times a rotation is tried when concurrent requests keep changing the session; each
   * retry costs one reload and one rotation.
   */
  public static final int MAX_WRITE_ATTEMPTS = 5;

  private final SessionManagerLayer layer;
  private final SessionStore store;
  private final List<String> cookieValues;

  private boolean loaded;
  private SessionRecord stored; // what the store held when loaded or last written; null when none
  private SessionId selectedBy; // the cookie id that selected the stored session
  private SessionId id; // the current id; null while there is no session
  private WorkingCopy data; // null while there is no session
  private Instant createdAt;
  private Optional<Duration> ownTimeout = Optional.empty();
  private boolean timeoutChanged;
  private Instant accessedAt; // set by accessedAt(Instant); null: the time of the commit
  private boolean isNew;
  private boolean invalidated;
  private SessionId rotatedFrom;

  /**
   * Starts a handle for one request.
   *
   * @param layer the store and cookie settings
   * @param cookieValues the values of every request cookie named {@link
   *     SessionManagerLayer#cookieName()}, in the order the client sent them
   */
  public SessionHandle(SessionManagerLayer layer, List<String> cookieValues) {
    this.layer = Objects.requireNonNull(layer, "layer");
    this.store = layer.store();
    this.cookieValues = List.copyOf(cookieValues);
  }

  /**
   * Returns the session id the client asked for: the cookie that selected the live session when one
   * did, else the first well-formed one. With at most one well-formed cookie this needs no store
   * access; with several it loads the session to tell which one selected it.
   *
   * @return the id the client asked for, or empty
   */
  public Optional<SessionId> requestedId() {
    List<SessionId> candidates = CookieLookup.wellFormed(cookieValues);
    if (candidates.size() > 1) {
      ensureLoaded();
    }
    if (selectedBy != null) {
      return Optional.of(selectedBy);
    }
    return candidates.stream().findFirst();
  }

  /**
   * Tells whether the requested id selected the session this request holds now.
   *
   * @return whether a cookie selected a live session that has not been invalidated or rotated
   */
  public boolean isRequestedIdValid() {
    ensureLoaded();
    return selectedBy != null && selectedBy.equals(id);
  }

  /**
   * Tells whether a session exists, loading it on first call.
   *
   * @return whether there is a live session for this request
   */
  public boolean exists() {
    ensureLoaded();
    return data != null;
  }

  /**
   * Makes sure a session exists: loads it, or starts a new one with a fresh id.
   *
   * @return the current session id
   */
  public SessionId getOrCreate() {
    ensureLoaded();
    if (data == null) {
      startNew(Map.of());
    }
    return id;
  }

  private void startNew(Map<String, Object> initial) {
    id = SessionId.generate();
    data = new WorkingCopy(initial);
    createdAt = layer.clock().instant();
    ownTimeout = Optional.empty();
    timeoutChanged = false;
    accessedAt = null;
    isNew = true;
  }

  /**
   * Returns the current session id.
   *
   * @return the id, or empty when there is no session
   */
  public Optional<SessionId> id() {
    ensureLoaded();
    return Optional.ofNullable(id);
  }

  /**
   * Reads one value.
   *
   * @param key the key
   * @return the value, or empty when absent, null or there is no session
   */
  public Optional<Object> get(String key) {
    ensureLoaded();
    return data == null ? Optional.empty() : data.get(key);
  }

  /**
   * Lists the keys.
   *
   * @return the keys, empty when there is no session
   */
  public Set<String> keys() {
    ensureLoaded();
    return data == null ? Set.of() : data.keys();
  }

  /**
   * Sets a value, starting a session if there is none. A {@code null} value removes the key.
   *
   * @param key the key
   * @param value a JSON value
   * @throws app.getbodhi.session.SessionServiceException of kind SERIALIZATION, naming the key,
   *     when the value is not a JSON value; nothing changes then
   */
  public void put(String key, Object value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      remove(key);
      return;
    }
    Object json = SessionRecord.toJsonValue(key, value);
    getOrCreate();
    data.put(key, json);
  }

  /**
   * Removes a value.
   *
   * @param key the key
   */
  public void remove(String key) {
    ensureLoaded();
    if (data != null) {
      data.remove(key);
    }
  }

  /**
   * Gives the session a new id, keeping its data; the old row is removed when the request commits.
   * Call it when the user's privilege changes, such as at login.
   *
   * @return the new id
   * @throws IllegalStateException when there is no session
   */
  public SessionId rotateId() {
    ensureLoaded();
    if (data == null) {
      throw new IllegalStateException("There is no session whose id could change.");
    }
    // a session not yet stored has no old row to remove
    if (!isNew && rotatedFrom == null) {
      rotatedFrom = id;
    }
    id = SessionId.generate();
    return id;
  }

  /**
   * Ends the session: its row is deleted and the cookie expired when the request commits. A later
   * {@link #getOrCreate()} starts a fresh session.
   */
  public void invalidate() {
    ensureLoaded();
    if (stored != null || rotatedFrom != null) {
      invalidated = true;
    }
    data = null;
    id = null;
    isNew = false;
    ownTimeout = Optional.empty();
    timeoutChanged = false;
    accessedAt = null;
  }

  /**
   * Tells whether this request started the session.
   *
   * @return whether the session is new
   */
  public boolean isNew() {
    return isNew;
  }

  /**
   * Returns when the session was created: kept in the store, so the same on every request and node.
   *
   * @return the creation time
   * @throws IllegalStateException when there is no session
   */
  public Instant creationTime() {
    requireSession();
    return createdAt;
  }

  /**
   * Returns the session's last access time: the one {@link #accessedAt(Instant)} set in this
   * request, else the access time of the last write, which is at most the session's access
   * granularity before the latest earlier request (see the class comment); for a session this
   * request started, its creation time.
   *
   * @return the last access time
   * @throws IllegalStateException when there is no session
   */
  public Instant lastAccessedTime() {
    requireSession();
    return accessedAt != null ? accessedAt : storedAccessTime();
  }

  private Instant storedAccessTime() {
    return stored != null && !isNew ? stored.lastAccessedAt().orElse(createdAt) : createdAt;
  }

  /**
   * Sets the session's last access time, for a layer whose API lets the application set it (such as
   * Spring Session's {@code Session.setLastAccessedTime}). The commit then writes it, and the
   * expiry that follows from it, only when it moves the stored access time by at least the
   * session's access granularity; a smaller move is within the precision the class comment
   * promises, and writes nothing.
   *
   * @param accessTime the access time
   * @throws IllegalStateException when there is no session
   */
  public void accessedAt(Instant accessTime) {
    Objects.requireNonNull(accessTime, "accessTime");
    requireSession();
    accessedAt = accessTime;
  }

  private void requireSession() {
    ensureLoaded();
    if (data == null) {
      throw new IllegalStateException("There is no session.");
    }
  }

  /**
   * Sets this session's own idle timeout, kept in the store: the session expires that long after
   * its last request (see the class comment for the slack). Zero or negative: the session never
   * times out while its cookie can reach it (see the class comment).
   *
   * @param timeout the timeout
   * @throws SessionServiceException of kind SERIALIZATION when longer than {@link
   *     SessionRecord#MAX_INACTIVE_INTERVAL}
   */
  public void setMaxInactiveInterval(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    Duration own = SessionRecord.checkMaxInactiveInterval(timeout);
    if (!Optional.of(own).equals(ownTimeout)) {
      ownTimeout = Optional.of(own);
      timeoutChanged = true;
    }
  }

  /**
   * Returns the session's inactivity timeout: its own when set, else the layer's {@link
   * SessionManagerLayer#expiry()}. Zero or negative: the session never times out.
   *
   * @return the timeout
   */
  public Duration maxInactiveInterval() {
    return ownTimeout.orElse(layer.expiry());
  }

  private IdleTimeout idle() {
    return IdleTimeout.of(layer, maxInactiveInterval());
  }

  /** The access time a write at {@code now} stores. */
  private Instant accessTime(Instant now) {
    return accessedAt != null ? accessedAt : now;
  }

  /** The session as this request would write it at {@code now}, at the revision it loaded. */
  private SessionRecord toRecord(Instant now) {
    Instant access = accessTime(now);
    return new SessionRecord(
        id,
        data.data(),
        idle().expiryAfter(access),
        Optional.of(createdAt),
        Optional.of(access),
        ownTimeout,
        stored == null ? 0 : stored.revision());
  }

  private boolean changed() {
    return (data != null && data.hasChanges()) || timeoutChanged || accessMoved();
  }

  /** Whether {@link #accessedAt(Instant)} moved the access time by the granularity or more. */
  private boolean accessMoved() {
    if (accessedAt == null) {
      return false;
    }
    Duration moved = Duration.between(storedAccessTime(), accessedAt).abs();
    return moved.compareTo(idle().granularity()) >= 0;
  }

  /** Whether the stored expiry falls short of the timeout after this request's access. */
  private boolean refreshDue(Instant now) {
    return idle().refreshDue(stored.expiryDate(), accessTime(now));
  }

  /** The cookie that carries the current id, with the layer's Max-Age plus the slack. */
  private SessionCookie sessionCookie() {
    return new SessionCookie(layer, id.value(), idle().cookieMaxAge(layer.maxAge()));
  }

  private void written(SessionRecord record) {
    stored = record;
    id = record.id();
    isNew = false;
    rotatedFrom = null;
    data.clearChanges();
    timeoutChanged = false;
    accessedAt = null;
  }

  /**
   * Writes what the request changed since the last commit. A layer calls it just before the
   * response is committed; calling it again later writes only what changed in between (the cookie
   * can then no longer change, which the layer reports).
   *
   * <ul>
   *   <li>{@code errorResponse}: writes nothing, so a failed request leaves the session as it was;
   *   <li>invalidated: deletes the row and returns an expired cookie (then a session started
   *       afterwards is written as below);
   *   <li>new: one insert-if-absent under a fresh id;
   *   <li>rotated: one atomic {@link SessionStore#rotate}, then the new cookie;
   *   <li>changed: one conditional update, merged under a lock on a conflict (see the class
   *       comment); if the session was deleted meanwhile, nothing is written back and no cookie is
   *       sent;
   *   <li>unchanged: writes only when the last write is older than the session's access
   *       granularity, so that it lives its timeout after this request.
   * </ul>
   *
   * @param errorResponse whether the response is a server error (5xx)
   * @return the cookie to send, if the client's cookie must change
   * @throws SessionServiceException of kind DATABASE when the store fails, or when concurrent
   *     requests changed the session on each of {@value #MAX_WRITE_ATTEMPTS} attempts to rotate it
   */
  public Optional<SessionCookie> commit(boolean errorResponse) {
    if (!loaded || errorResponse) {
      return Optional.empty();
    }
    Optional<SessionCookie> cookie = Optional.empty();
    if (invalidated) {
      if (stored != null) {
        store.delete(stored.id());
      }
      if (rotatedFrom != null && (stored == null || !rotatedFrom.equals(stored.id()))) {
        store.delete(rotatedFrom);
      }
      stored = null;
      rotatedFrom = null;
      invalidated = false;
      cookie = Optional.of(SessionCookie.expired(layer));
    }
    if (data == null) {
      return cookie;
    }
    Instant now = layer.clock().instant();
    if (isNew) {
      written(store.create(toRecord(now)));
      return Optional.of(sessionCookie());
    }
    if (rotatedFrom != null) {
      return commitRotation(now);
    }
    return commitUpdate(now, cookie);
  }

  private Optional<SessionCookie> commitUpdate(Instant now, Optional<SessionCookie> cookie) {
    if (!changed() && !refreshDue(now)) {
      return cookie;
    }
    SessionRecord next = toRecord(now);
    if (store.updateIfUnchanged(next)) {
      written(next.withRevision(next.revision() + 1));
    } else {
      // Changed or deleted since it was loaded: merge this request's own changes into the row as
      // stored, under its lock, so this second write cannot conflict again.
      Optional<SessionRecord> merged =
          store.modify(
              id,
              current -> {
                adopt(current);
                return changed() || refreshDue(now) ? Optional.of(toRecord(now)) : Optional.empty();
              });
      if (merged.isEmpty()) {
        // Deleted while this request ran: logged out everywhere, invalidated, rotated by a
        // concurrent request, or expired. The deletion wins. The cookie is left alone: after a
        // rotation the browser already holds the new id, which an expiring cookie sent now would
        // wipe out; a dead cookie costs the next request one SELECT that finds nothing.
        dropSession();
        return cookie;
      }
      written(merged.get());
    }
    // a Max-Age cookie must be re-sent for the browser to extend it too
    return layer.maxAge().isPresent() ? Optional.of(sessionCookie()) : cookie;
  }

  private Optional<SessionCookie> commitRotation(Instant now) {
    for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      Optional<SessionRecord> moved = store.rotate(rotatedFrom, toRecord(now));
      if (moved.isPresent()) {
        written(moved.get());
        return Optional.of(sessionCookie());
      }
      Optional<SessionRecord> current = CookieLookup.loadReadable(store, rotatedFrom);
      if (current.isEmpty()) {
        // Deleted while this request ran: the deletion wins, so nothing of the old session is
        // written back. What this request put itself (a login's user id) starts a fresh session.
        Map<String, Object> own = data.ownPuts();
        Optional<Duration> timeout = timeoutChanged ? ownTimeout : Optional.empty();
        dropSession();
        if (own.isEmpty()) {
          return Optional.empty();
        }
        startNew(own);
        ownTimeout = timeout;
        written(store.create(toRecord(now)));
        return Optional.of(sessionCookie());
      }
      adopt(current.get());
    }
    throw tooManyConflicts();
  }

  /** Takes a reloaded session as the base and re-applies this request's own changes to it. */
  private void adopt(SessionRecord current) {
    stored = current;
    data = data.rebasedOn(current.data());
    createdAt = current.createdAt().orElse(createdAt);
    if (!timeoutChanged) {
      ownTimeout = current.maxInactiveInterval();
    }
  }

  private void dropSession() {
    stored = null;
    id = null;
    data = null;
    rotatedFrom = null;
    timeoutChanged = false;
    accessedAt = null;
  }

  private static SessionServiceException tooManyConflicts() {
    return new SessionServiceException(
        SessionServiceException.Kind.DATABASE,
        "Could not change the session id: concurrent requests changed the session on each of "
            + MAX_WRITE_ATTEMPTS
            + " attempts (SessionHandle.MAX_WRITE_ATTEMPTS). Retry the request.");
  }

  private void ensureLoaded() {
    if (loaded) {
      return;
    }
    Optional<CookieLookup.Found> found = CookieLookup.find(store, cookieValues);
    if (found.isPresent()) {
      stored = found.get().record();
      selectedBy = found.get().selectedBy();
      id = stored.id();
      data = new WorkingCopy(stored.data());
      createdAt = stored.createdAt().orElseThrow();
      ownTimeout = stored.maxInactiveInterval();
    }
    // set last, so a store failure above leaves the handle unloaded and the request failing
    loaded = true;
  }

  /** Shows the state without the id. */
  @Override
  public String toString() {
    return "SessionHandle[loaded="
        + loaded
        + ", exists="
        + (data != null)
        + ", new="
        + isNew
        + ", changed="
        + changed()
        + ", invalidated="
        + invalidated
        + "]";
  }
}

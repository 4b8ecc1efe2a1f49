package app.getbodhi.session.service;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionManagerLayer;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *       update), or when more than half of the expiry window has passed, so reads never write.
 *   <li><b>Deletion wins:</b> a session deleted while the request ran (logout everywhere,
 *       invalidation by another request) is not written back.
 *   <li><b>Fixation defence:</b> {@link #rotateId()} moves the data to a new id and removes the old
 *       row.
 * </ul>
 *
 * <p>Not thread-safe: one handle belongs to one request. Two requests on the same session each have
 * their own handle; when both change it, the last to commit wins, unless one of them deleted it.
 */
public final class SessionHandle {

  private static final Logger LOG = LoggerFactory.getLogger(SessionHandle.class);

  /** How many well-formed ids from same-named cookies are tried before giving up. */
  static final int MAX_COOKIE_CANDIDATES = 3;

  private final SessionManagerLayer layer;
  private final SessionStore store;
  private final List<String> cookieValues;

  private boolean loaded;
  private SessionRecord stored; // what the store held when loaded; null when none
  private SessionId id; // the current id; null while there is no session
  private Map<String, Object> data; // working copy; null while there is no session
  private boolean isNew;
  private boolean dirty;
  private boolean invalidated;
  private SessionId rotatedFrom;
  private Duration expiry;

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
    this.expiry = layer.expiry();
  }

  /**
   * Returns the first well-formed session id among the request's cookies, without touching the
   * store. It may name no session.
   *
   * @return the id the client asked for, or empty
   */
  public Optional<SessionId> requestedId() {
    for (String value : cookieValues) {
      Optional<SessionId> parsed = SessionId.parse(value);
      if (parsed.isPresent()) {
        return parsed;
      }
    }
    return Optional.empty();
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
      id = SessionId.generate();
      data = new LinkedHashMap<>();
      isNew = true;
      dirty = true;
    }
    return id;
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
    return data == null ? Optional.empty() : Optional.ofNullable(data.get(key));
  }

  /**
   * Lists the keys.
   *
   * @return the keys, empty when there is no session
   */
  public Set<String> keys() {
    ensureLoaded();
    return data == null ? Set.of() : Collections.unmodifiableSet(data.keySet());
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
    Object previous = data.put(key, json);
    if (!json.equals(previous)) {
      dirty = true;
    }
  }

  /**
   * Removes a value.
   *
   * @param key the key
   */
  public void remove(String key) {
    ensureLoaded();
    if (data != null && data.containsKey(key)) {
      data.remove(key);
      dirty = true;
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
    dirty = true;
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
    dirty = false;
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
   * Overrides how long this session lives after this request's write.
   *
   * @param newExpiry a positive duration
   */
  public void setExpiry(Duration newExpiry) {
    if (newExpiry == null || newExpiry.isNegative() || newExpiry.isZero()) {
      throw new IllegalArgumentException("expiry must be a positive duration");
    }
    if (!newExpiry.equals(expiry)) {
      expiry = newExpiry;
      if (data != null) {
        dirty = true;
      }
    }
  }

  /**
   * Returns how long this session lives after a write.
   *
   * @return the expiry window
   */
  public Duration expiry() {
    return expiry;
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
   *   <li>new: one insert-if-absent under a fresh id; rotated: the same, plus removal of the old
   *       row;
   *   <li>changed: one update; if the session was deleted meanwhile (logged out everywhere, or
   *       rotated by a concurrent request), nothing is written back and no cookie is sent;
   *   <li>unchanged: writes only when less than half of the expiry window remains.
   * </ul>
   *
   * @param errorResponse whether the response is a server error (5xx)
   * @return the cookie to send, if the client's cookie must change
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
    if (isNew || rotatedFrom != null) {
      stored = store.create(new SessionRecord(id, data, now.plus(expiry)));
      id = stored.id();
      if (rotatedFrom != null) {
        store.delete(rotatedFrom);
      }
      isNew = false;
      rotatedFrom = null;
      dirty = false;
      return Optional.of(SessionCookie.of(layer, id.value()));
    }
    boolean stale = stored.expiryDate().isBefore(now.plus(expiry.dividedBy(2)));
    if (dirty || stale) {
      SessionRecord changed = new SessionRecord(id, data, now.plus(expiry));
      if (!store.update(changed)) {
        // Deleted while this request ran: logged out everywhere, invalidated, or rotated by a
        // concurrent request. The deletion wins. The cookie is left alone: after a rotation the
        // browser already holds the new id, which an expiring cookie sent now would wipe out;
        // a dead cookie costs the next request one SELECT that finds nothing.
        stored = null;
        id = null;
        data = null;
        dirty = false;
        return Optional.empty();
      }
      stored = changed;
      dirty = false;
      // a Max-Age cookie must be re-sent for the browser to extend it too
      if (layer.maxAge().isPresent()) {
        return Optional.of(SessionCookie.of(layer, id.value()));
      }
    }
    return cookie;
  }

  private void ensureLoaded() {
    if (loaded) {
      return;
    }
    int tried = 0;
    for (String value : cookieValues) {
      Optional<SessionId> candidate = SessionId.parse(value);
      if (candidate.isEmpty()) {
        continue;
      }
      Optional<SessionRecord> record = loadReadable(candidate.get());
      if (record.isPresent()) {
        stored = record.get();
        id = stored.id();
        data = new LinkedHashMap<>(stored.data());
        break;
      }
      if (++tried >= MAX_COOKIE_CANDIDATES) {
        break;
      }
    }
    // set last, so a store failure above leaves the handle unloaded and the request failing
    loaded = true;
  }

  /**
   * Loads a session, treating a row whose data cannot be read as no session: such a row (written by
   * an older release in another format, or damaged) would otherwise fail every request of that
   * browser until it expired. The id is not adopted: a session started now gets a fresh one.
   * Database failures still propagate, so a broken store fails the request.
   */
  private Optional<SessionRecord> loadReadable(SessionId candidate) {
    try {
      return store.load(candidate);
    } catch (SessionServiceException e) {
      if (e.kind() != SessionServiceException.Kind.SERIALIZATION) {
        throw e;
      }
      LOG.warn("Ignoring unreadable stored session {}: {}", candidate, e.getMessage());
      return Optional.empty();
    }
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
        + ", dirty="
        + dirty
        + ", invalidated="
        + invalidated
        + "]";
  }
}

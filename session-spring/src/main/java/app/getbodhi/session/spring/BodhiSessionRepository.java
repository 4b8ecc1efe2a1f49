package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * A Spring Session repository over a bodhi-sessions store, used through Spring Session's own {@code
 * SessionRepositoryFilter}. It keeps the store's guarantees:
 *
 * <ul>
 *   <li>A read-only request costs one {@code SELECT} and no write: {@link #save} writes only when
 *       an attribute or the timeout changed, or when half of the session's timeout has passed
 *       (Spring Session JDBC writes on every request, for the last-access time).
 *   <li>{@link Session#changeSessionId()} uses the store's atomic rotation; a session deleted
 *       meanwhile (logged out everywhere) is never written back; parallel requests changing
 *       different attributes both keep their change.
 *   <li>Sessions are sealed: the store keeps no id. So {@link #findByIndexNameAndIndexValue} keys
 *       its result by {@linkplain app.getbodhi.session.SessionRef ref}, not by id, and its sessions
 *       are read-only summaries (times, no attributes). Revoke one with {@link #deleteByRef}.
 * </ul>
 *
 * <p>{@link #findById} of an id that names no live session, or is not an id at all, returns {@code
 * null}; {@link #deleteById} of such an id does nothing. Thread-safe.
 *
 * <h2>One lookup per request</h2>
 *
 * Spring's {@code SessionRepositoryFilter} commits the session twice, when the response is
 * committed and again when the filter chain returns, and the second commit looks the requested id
 * up again: a second {@code SELECT} on every request. Inside a {@link BodhiSessionRequestScope}
 * (the auto-configuration registers it in front of Spring's filter), {@link #findById} answers a
 * repeated lookup of the same id from the session this request already holds, with no statement:
 * that session as it is now, or {@code null} when it has since been deleted, invalidated or moved
 * to another id. Outside a scope, every lookup reads the store.
 */
public final class BodhiSessionRepository implements FindByIndexNameSessionRepository<Session> {

  private final ManagedSessionStore store;
  private final SessionManagerLayer layer;
  private final SessionAttributeCodec codec;
  private final PrincipalNames principalNames;

  /**
   * What {@link #findById} returned in the current request, by id ({@code null} for a miss); unset
   * outside a {@link BodhiSessionRequestScope}. Per repository and per thread, never shared.
   */
  private final ThreadLocal<Map<String, BodhiSession>> requestScope = new ThreadLocal<>();

  /**
   * A repository over a store.
   *
   * @param store the store, migrated
   * @param layer the session layer over that store, with the default timeout ({@link
   *     SessionManagerLayer#expiry()}) and the clock; its cookie settings are not used (Spring's
   *     cookie serializer writes the cookie)
   * @param codec what stores attributes that are not JSON
   */
  public BodhiSessionRepository(
      ManagedSessionStore store, SessionManagerLayer layer, SessionAttributeCodec codec) {
    this.store = Objects.requireNonNull(store, "store");
    this.layer = Objects.requireNonNull(layer, "layer");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.principalNames = new PrincipalNames(BodhiSessionRepository.class.getClassLoader());
  }

  /**
   * Returns the store sessions are kept in.
   *
   * @return the store
   */
  public ManagedSessionStore store() {
    return store;
  }

  /** Starts a session with a fresh id; nothing is written until {@link #save}. */
  @Override
  public BodhiSession createSession() {
    return new BodhiSession(new SessionHandle(layer, List.of()), codec, principalNames);
  }

  /**
   * Writes what the request changed: nothing for a read-only request, an insert for a new session,
   * an atomic rotation after {@link Session#changeSessionId()}, a conditional update (merged under
   * a lock on a conflict) otherwise.
   *
   * @param session a session from this repository
   */
  @Override
  public void save(Session session) {
    if (!(session instanceof BodhiSession bodhi)) {
      throw new IllegalArgumentException(
          "This repository saves only its own sessions, not a " + session.getClass().getName());
    }
    bodhi.handle().commit(false);
  }

  /**
   * Starts remembering this thread's lookups, as {@link BodhiSessionRequestScope} does around a
   * request.
   *
   * @return whether a scope was started; false inside one already (a forward or include), which the
   *     caller must then not end
   */
  boolean enterRequest() {
    if (requestScope.get() != null) {
      return false;
    }
    requestScope.set(new HashMap<>());
    return true;
  }

  /** Forgets this thread's lookups; after {@link #enterRequest} returned true. */
  void leaveRequest() {
    requestScope.remove();
  }

  /**
   * Runs work as one request: repeated lookups of an id answer from the first, as they do inside
   * {@link BodhiSessionRequestScope}. For a caller outside a servlet request, and for tests.
   *
   * @param work the request's work
   */
  public void inRequest(Runnable work) {
    boolean started = enterRequest();
    try {
      work.run();
    } finally {
      if (started) {
        leaveRequest();
      }
    }
  }

  @Override
  public BodhiSession findById(String id) {
    Optional<SessionId> parsed = SessionId.parse(id);
    if (parsed.isEmpty()) {
      return null;
    }
    Map<String, BodhiSession> seen = requestScope.get();
    if (seen != null && seen.containsKey(id)) {
      BodhiSession earlier = seen.get(id);
      return earlier != null && earlier.isLiveUnder(id) ? earlier : null;
    }
    SessionHandle handle = new SessionHandle(layer, List.of(parsed.get().value()));
    BodhiSession found = handle.exists() ? new BodhiSession(handle, codec, principalNames) : null;
    if (seen != null) {
      // a miss is remembered too: ids are drawn at random, so none appears later in the request
      seen.put(id, found);
    }
    return found;
  }

  @Override
  public void deleteById(String id) {
    Optional<SessionId> parsed = SessionId.parse(id);
    if (parsed.isEmpty()) {
      return;
    }
    store.delete(parsed.get());
    Map<String, BodhiSession> seen = requestScope.get();
    if (seen != null) {
      seen.put(id, null);
    }
  }

  /**
   * Revokes one session by its ref, as a "your devices" page does.
   *
   * @param ref the ref's text, as {@link #findByPrincipalName} keys it
   * @return whether a session was deleted
   */
  public boolean deleteByRef(String ref) {
    Optional<SessionRef> parsed = SessionRef.parse(ref);
    if (parsed.isEmpty()) {
      return false;
    }
    boolean deleted = store.delete(parsed.get());
    Map<String, BodhiSession> seen = requestScope.get();
    if (seen != null) {
      // a request revoking its own session must not find it again
      seen.replaceAll(
          (id, session) ->
              session != null && store.refOf(SessionId.parse(id).orElseThrow()).equals(parsed.get())
                  ? null
                  : session);
    }
    return deleted;
  }

  /**
   * Finds a user's live sessions; only {@link #PRINCIPAL_NAME_INDEX_NAME} is indexed.
   *
   * @param indexName the index, {@link #PRINCIPAL_NAME_INDEX_NAME}
   * @param indexValue the principal name
   * @return the sessions keyed by ref, as read-only summaries; empty for any other index
   */
  @Override
  public Map<String, Session> findByIndexNameAndIndexValue(String indexName, String indexValue) {
    if (!PRINCIPAL_NAME_INDEX_NAME.equals(indexName) || indexValue == null) {
      return Map.of();
    }
    Map<String, Session> sessions = new LinkedHashMap<>();
    for (SessionSummary summary : store.getSessionsForUser(indexValue)) {
      sessions.put(summary.ref().value(), new StoredSession(summary, layer.expiry()));
    }
    return Collections.unmodifiableMap(sessions);
  }

  /**
   * One stored session as a listing shows it: its ref for an id, its times, the principal name as
   * its one attribute. Read-only: the store cannot open a session without its id.
   */
  record StoredSession(SessionSummary summary, Duration defaultTimeout) implements Session {

    @Override
    public String getId() {
      return summary.ref().value();
    }

    @Override
    public String changeSessionId() {
      throw readOnly();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getAttribute(String attributeName) {
      return PRINCIPAL_NAME_INDEX_NAME.equals(attributeName)
          ? (T) summary.userId().orElse(null)
          : null;
    }

    @Override
    public Set<String> getAttributeNames() {
      return summary.userId().isPresent() ? Set.of(PRINCIPAL_NAME_INDEX_NAME) : Set.of();
    }

    @Override
    public void setAttribute(String attributeName, Object attributeValue) {
      throw readOnly();
    }

    @Override
    public void removeAttribute(String attributeName) {
      throw readOnly();
    }

    @Override
    public Instant getCreationTime() {
      return summary.createdAt().orElse(Instant.EPOCH);
    }

    @Override
    public void setLastAccessedTime(Instant lastAccessedTime) {}

    @Override
    public Instant getLastAccessedTime() {
      return summary.lastAccessedAt().orElse(getCreationTime());
    }

    @Override
    public void setMaxInactiveInterval(Duration interval) {
      throw readOnly();
    }

    @Override
    public Duration getMaxInactiveInterval() {
      return defaultTimeout;
    }

    @Override
    public boolean isExpired() {
      return false;
    }

    private static UnsupportedOperationException readOnly() {
      return new UnsupportedOperationException(
          "A listed session is read-only: the store keeps no id to open it with. Revoke it with"
              + " BodhiSessionRepository.deleteByRef.");
    }
  }
}

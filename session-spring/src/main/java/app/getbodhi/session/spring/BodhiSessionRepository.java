package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *       its result by {@linkplain app.getbodhi.session.SessionRef ref}, and {@link #findById} and
 *       {@link #deleteById} accept those keys as well as ids: Spring Security's {@code
 *       SpringSessionBackedSessionRegistry} works over this repository as it does over Spring
 *       Session JDBC ({@code maximumSessions(n)} ends the older sessions on every node). A session
 *       found by ref is a {@link ListedSession}, which can be listed and ended but not opened.
 *   <li>A stored value this application cannot decode makes its session no session (see {@link
 *       #findById}): the browser starts afresh, one WARN line is logged.
 * </ul>
 *
 * <p>{@link #findById} of an id that names no live session, or of a text that is neither an id nor
 * a ref, returns {@code null}; {@link #deleteById} of such a text does nothing. Thread-safe.
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

  private static final Logger LOG = LoggerFactory.getLogger(BodhiSessionRepository.class);

  /** Spring Session's timeout for a session that never times out. */
  static final Duration NEVER = Duration.ofSeconds(-1);

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

  /** The clock sessions are stamped and judged by. */
  Clock clock() {
    return layer.clock();
  }

  /** Starts a session with a fresh id; nothing is written until {@link #save}. */
  @Override
  public BodhiSession createSession() {
    return new BodhiSession(new SessionHandle(layer, List.of()), codec, principalNames);
  }

  /**
   * Writes what the request changed: nothing for a read-only request, an insert for a new session,
   * an atomic rotation after {@link Session#changeSessionId()}, a conditional update (merged under
   * a lock on a conflict) otherwise. A {@link ListedSession} marked expired is deleted; any other
   * listed session writes nothing.
   *
   * @param session a session from this repository
   */
  @Override
  public void save(Session session) {
    if (session instanceof ListedSession listed) {
      if (listed.expireOnSave()) {
        deleteByRef(listed.ref().value());
      }
      return;
    }
    if (!(session instanceof BodhiSession bodhi)) {
      throw new IllegalArgumentException(
          "This repository saves only its own sessions, not a " + session.getClass().getName());
    }
    bodhi.commit();
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

  /**
   * Finds a session by its id, or by the ref a listing keyed it by.
   *
   * <ul>
   *   <li>An id: the live session it names, or {@code null}. A session holding a value this
   *       application cannot decode (a type no longer allowed, a damaged or planted row) is no
   *       session: it is deleted, one WARN line says which attribute and why (no id, no value), and
   *       {@code null} is returned, so the browser starts a fresh session instead of failing on
   *       every request.
   *   <li>A ref ({@link #findByIndexNameAndIndexValue}'s keys): a {@link ListedSession} when that
   *       ref is stored (one indexed query), else {@code null}; see that class for what it can do.
   *   <li>Anything else: {@code null}, with no statement.
   * </ul>
   *
   * @param id a session id or a ref
   * @return the session, or {@code null}
   */
  @Override
  public Session findById(String id) {
    Optional<SessionId> parsed = SessionId.parse(id);
    if (parsed.isEmpty()) {
      return SessionRef.parse(id).map(this::findByRef).orElse(null);
    }
    Map<String, BodhiSession> seen = requestScope.get();
    if (seen != null && seen.containsKey(id)) {
      BodhiSession earlier = seen.get(id);
      return earlier != null && earlier.isLiveUnder(id) ? earlier : null;
    }
    BodhiSession found = open(parsed.get());
    if (seen != null) {
      // a miss is remembered too: ids are drawn at random, so none appears later in the request
      seen.put(id, found);
    }
    return found;
  }

  private BodhiSession open(SessionId id) {
    SessionHandle handle = new SessionHandle(layer, List.of(id.value()));
    if (!handle.exists()) {
      return null;
    }
    BodhiSession session = new BodhiSession(handle, codec, principalNames);
    try {
      session.decodeAll();
      return session;
    } catch (SessionServiceException e) {
      if (e.kind() != SessionServiceException.Kind.SERIALIZATION) {
        throw e;
      }
      // the message names the attribute and why, never the value or the id
      LOG.warn("Discarded a stored session this application cannot read: {}", e.getMessage());
      store.delete(id);
      return null;
    }
  }

  private ListedSession findByRef(SessionRef ref) {
    boolean stored = store.findRefsByPrefix(ref.value(), 1).contains(ref);
    return stored ? new ListedSession(ref, Optional.empty(), layer.expiry()) : null;
  }

  /**
   * Deletes the session an id or a ref names; does nothing for anything else or a session that is
   * gone.
   *
   * @param id a session id, or a ref as {@link #findByIndexNameAndIndexValue} keys it
   */
  @Override
  public void deleteById(String id) {
    Optional<SessionId> parsed = SessionId.parse(id);
    if (parsed.isEmpty()) {
      if (SessionRef.parse(id).isPresent()) {
        deleteByRef(id);
      }
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
   * Finds a user's live sessions; only {@link #PRINCIPAL_NAME_INDEX_NAME} is indexed. One indexed
   * query, no session data read.
   *
   * @param indexName the index, {@link #PRINCIPAL_NAME_INDEX_NAME}
   * @param indexValue the principal name
   * @return the sessions keyed by ref, as {@link ListedSession}s, which {@link #findById} and
   *     {@link #deleteById} accept; empty for any other index
   */
  @Override
  public Map<String, Session> findByIndexNameAndIndexValue(String indexName, String indexValue) {
    if (!PRINCIPAL_NAME_INDEX_NAME.equals(indexName) || indexValue == null) {
      return Map.of();
    }
    Map<String, Session> sessions = new LinkedHashMap<>();
    for (SessionSummary summary : store.getSessionsForUser(indexValue)) {
      sessions.put(summary.ref().value(), listed(summary));
    }
    return Collections.unmodifiableMap(sessions);
  }

  /** A listed session, with the timeout the store's expiry and last write tell. */
  ListedSession listed(SessionSummary summary) {
    return new ListedSession(summary.ref(), Optional.of(summary), timeoutOf(summary));
  }

  /**
   * The timeout a stored session was written with. A write at access time {@code a} stores the
   * expiry {@code a + T + g}, where {@code g}, the layer's granularity for {@code T}, is the
   * smaller of a tenth of {@code T} and the layer's access granularity; so {@code T} follows from
   * the stored span {@code D = T + g}. A session that never times out expires at the end of time.
   */
  private Duration timeoutOf(SessionSummary summary) {
    if (!summary.expiryDate().isBefore(SessionRecord.MAX_EXPIRY)) {
      return NEVER;
    }
    return summary
        .lastAccessedAt()
        .map(access -> Duration.between(access, summary.expiryDate()))
        .flatMap(this::timeoutSpanning)
        .orElse(layer.expiry());
  }

  /** The timeout whose span (timeout plus its granularity) is {@code span}, if there is one. */
  private Optional<Duration> timeoutSpanning(Duration span) {
    Duration capped = span.minus(layer.accessGranularity());
    Duration tenthBound = span.multipliedBy(10).dividedBy(11);
    for (Duration candidate : List.of(capped, tenthBound)) {
      if (candidate.compareTo(Duration.ZERO) > 0
          && candidate.plus(layer.granularityFor(candidate)).equals(span)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}

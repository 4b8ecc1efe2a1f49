package app.getbodhi.session.spring;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.web.SessionHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * A Spring Session {@link Session} over one request's {@link SessionHandle}: the handle does what
 * the servlet filter's sessions do (change tracking, per-key merge, deletion wins, atomic
 * rotation), and {@link BodhiSessionRepository#save} commits it.
 *
 * <ul>
 *   <li>Values that are JSON are stored as they are; {@code byte[]} and the usual JDK value types
 *       are stored with a tag so each comes back as its own class; anything else goes through the
 *       {@link SessionAttributeCodec}. Every value is decoded when the session is found, once per
 *       request: {@link #getAttribute} returns the object this request set.
 *   <li>The principal name (from {@link FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}
 *       or the Spring Security context) is mirrored into the store's indexed {@code user_id} key,
 *       so finding and logging out a user's sessions is one indexed query. That key is the store's,
 *       not an attribute: {@link #getAttributeNames()} does not list it, and an application
 *       attribute that happens to be named {@code user_id} is kept under another key (see {@link
 *       #keyOf}), so a login never overwrites it and it never names a user.
 *   <li>{@link #setLastAccessedTime} is kept to the session layer's access granularity {@code g}:
 *       Spring's filter calls it on every request, and a read-only request writes only when the
 *       last write is {@code g} or more old. A session lives at least its timeout after its last
 *       request and at most {@code g} longer; {@link #getLastAccessedTime} is precise to {@code g}.
 * </ul>
 *
 * <p>Not thread-safe: one belongs to one request, as its handle does.
 */
public final class BodhiSession implements Session {

  /** Spring Security's session attribute for the security context. */
  static final String SECURITY_CONTEXT = "SPRING_SECURITY_CONTEXT";

  /**
   * Prefixes the store key of an attribute whose name is the store's {@link
   * SessionRecord#USER_ID_KEY}, or itself starts with this prefix; see {@link #keyOf}.
   */
  static final String ESCAPE = "~";

  /** Starts the one key of every encoded value's map ({@code @bodhi.encoded}, ...). */
  static final String ENCODED_PREFIX = "@bodhi.";

  private final SessionHandle handle;
  private final SessionAttributeCodec codec;
  private final PrincipalNames principalNames;
  private PrincipalIndexName indexName = PrincipalIndexName.SERVLET;
  private SessionId lastId;
  private Instant accessedAt; // the last setLastAccessedTime; null: the handle stamps its writes

  /**
   * Decoded values by store key, each with the stored value it was decoded from (or encoded to): an
   * attribute is decoded once per request, and {@link #getAttribute} returns the object the request
   * set. An entry whose stored value is no longer the handle's (a merge adopted another request's)
   * is decoded again.
   */
  private final Map<String, Decoded> decoded = new HashMap<>();

  private record Decoded(Object stored, Object value) {}

  BodhiSession(SessionHandle handle, SessionAttributeCodec codec, PrincipalNames principalNames) {
    this.handle = Objects.requireNonNull(handle, "handle");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.principalNames = Objects.requireNonNull(principalNames, "principalNames");
    this.lastId = handle.getOrCreate();
  }

  /**
   * The store key of an attribute: its name, except that {@link SessionRecord#USER_ID_KEY} (the
   * store's indexed principal, which this class writes itself) and names starting with {@link
   * #ESCAPE} get the prefix, so no attribute lands on the index and no two names share a key.
   */
  static String keyOf(String attributeName) {
    return attributeName.equals(SessionRecord.USER_ID_KEY) || attributeName.startsWith(ESCAPE)
        ? ESCAPE + attributeName
        : attributeName;
  }

  /** The attribute a store key holds, or empty for the principal index. */
  static Optional<String> attributeOf(String key) {
    if (key.equals(SessionRecord.USER_ID_KEY)) {
      return Optional.empty();
    }
    return Optional.of(key.startsWith(ESCAPE) ? key.substring(ESCAPE.length()) : key);
  }

  /**
   * Presents this session to Spring Session's reactive API, as the reactive repository hands it
   * out: the principal name attribute is then {@link
   * ReactiveFindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}, stored as the one indexed
   * principal that the servlet API's name stands for, so a session indexed on a servlet node is
   * found by a reactive one and the other way round; {@link #getAttributeNames()} lists it under
   * the reactive name.
   *
   * @return this session
   */
  public BodhiSession withReactiveNames() {
    indexName = PrincipalIndexName.REACTIVE;
    return this;
  }

  /**
   * Returns the session id: after {@link BodhiSessionRepository#save}, the id the session was
   * stored under (a rotation or a clash may have drawn a new one). When the session was deleted by
   * another request meanwhile, the last id it had: it names no session, so the next request starts
   * afresh.
   */
  @Override
  public String getId() {
    Optional<SessionId> id = handle.id();
    id.ifPresent(current -> lastId = current);
    return lastId.value();
  }

  /**
   * Whether this session still lives under {@code id}: not deleted, invalidated or rotated away.
   */
  boolean isLiveUnder(String id) {
    return handle.id().map(SessionId::value).filter(id::equals).isPresent();
  }

  @Override
  public String changeSessionId() {
    lastId = handle.rotateId();
    return lastId.value();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getAttribute(String attributeName) {
    String key = keyOf(indexName.stored(attributeName));
    Optional<Object> stored = handle.get(key);
    if (stored.isEmpty()) {
      return null;
    }
    return (T) valueOf(attributeName, key, stored.get());
  }

  private Object valueOf(String attributeName, String key, Object stored) {
    Decoded known = decoded.get(key);
    if (known != null && known.stored() == stored) {
      return known.value();
    }
    Object value = decode(attributeName, stored);
    if (value != stored) {
      decoded.put(key, new Decoded(stored, value));
    }
    return value;
  }

  private Object decode(String attributeName, Object stored) {
    if (JdkValues.isEncoded(stored)) {
      return JdkValues.decode(attributeName, stored);
    }
    Object value = codec.decode(attributeName, stored);
    if (value == stored && isEncodedForm(stored)) {
      // written by a codec this application no longer has (JDK serialization turned off, say)
      throw AttributeErrors.attribute(
          attributeName, "holds an encoded value that this application's codec does not read.");
    }
    return value;
  }

  /** Whether a stored value has the shape of an encoded one: one key, {@code @bodhi.} and more. */
  private static boolean isEncodedForm(Object stored) {
    return stored instanceof Map<?, ?> map
        && map.size() == 1
        && map.keySet().iterator().next() instanceof String key
        && key.startsWith(ENCODED_PREFIX);
  }

  /**
   * Decodes every attribute now, so that a stored value this application cannot read (a type
   * dropped from the allow-list, a damaged or planted row) makes the whole session unreadable when
   * it is found, not a failure on every request that reads the attribute.
   *
   * @throws app.getbodhi.session.SessionServiceException of kind SERIALIZATION, naming the
   *     attribute, when a value cannot be decoded
   */
  void decodeAll() {
    for (String key : handle.keys()) {
      Optional<String> name = attributeOf(key);
      if (name.isPresent()) {
        handle.get(key).ifPresent(stored -> valueOf(name.get(), key, stored));
      }
    }
  }

  @Override
  public Set<String> getAttributeNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String key : handle.keys()) {
      attributeOf(key).map(indexName::shown).ifPresent(names::add);
    }
    return Collections.unmodifiableSet(names);
  }

  @Override
  public void setAttribute(String attributeName, Object attributeValue) {
    if (attributeValue == null) {
      removeAttribute(attributeName);
      return;
    }
    String name = indexName.stored(attributeName);
    String key = keyOf(name);
    Object stored = encode(attributeName, attributeValue);
    handle.put(key, stored);
    // the handle keeps its canonical copy: remember the value against that
    handle.get(key).ifPresent(kept -> decoded.put(key, new Decoded(kept, attributeValue)));
    if (principalNames.indexes(name)) {
      indexPrincipal();
    }
  }

  private Object encode(String attributeName, Object value) {
    Optional<Object> tagged = JdkValues.encode(value);
    if (tagged.isPresent()) {
      return tagged.get();
    }
    return SessionRecord.isJsonValue(value) ? value : codec.encode(attributeName, value);
  }

  /**
   * Mirrors the principal name into the store's index as Spring Session resolves it: the value of
   * {@link FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME} when set, else the name in
   * the Spring Security context, else none.
   */
  private void indexPrincipal() {
    Optional<String> name =
        principalNames
            .of(
                FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
                getAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME))
            .or(() -> principalNames.of(SECURITY_CONTEXT, getAttribute(SECURITY_CONTEXT)));
    if (name.isEmpty()) {
      handle.remove(SessionRecord.USER_ID_KEY);
    } else if (!handle.get(SessionRecord.USER_ID_KEY).equals(name)) {
      handle.put(SessionRecord.USER_ID_KEY, name.get());
    }
  }

  @Override
  public void removeAttribute(String attributeName) {
    String name = indexName.stored(attributeName);
    String key = keyOf(name);
    handle.remove(key);
    decoded.remove(key);
    if (principalNames.indexes(name)) {
      indexPrincipal();
    }
  }

  /**
   * The principal name the store indexes this session under.
   *
   * @return the name, or empty
   */
  Optional<String> principalName() {
    return handle.get(SessionRecord.USER_ID_KEY).map(String.class::cast);
  }

  @Override
  public Instant getCreationTime() {
    return handle.creationTime();
  }

  /**
   * Sets the last access time; Spring's filter calls it on every request. It is written only when
   * it moves the stored time by the session's access granularity or more (see {@link
   * SessionHandle#accessedAt}), so a read-only request within the granularity writes nothing.
   * Ignored when the session is gone (invalidated, or deleted while the request ran).
   */
  @Override
  public void setLastAccessedTime(Instant lastAccessedTime) {
    accessedAt = Objects.requireNonNull(lastAccessedTime, "lastAccessedTime");
    if (handle.id().isPresent()) {
      handle.accessedAt(lastAccessedTime);
    }
  }

  /**
   * Writes what changed, as {@link BodhiSessionRepository#save} does. The access time last set
   * stays the session's until set again, as Spring's own sessions keep it: a later save that
   * changes an attribute does not stamp the time of that save instead.
   */
  void commit() {
    if (accessedAt != null && handle.id().isPresent()) {
      handle.accessedAt(accessedAt);
    }
    handle.commit(false);
  }

  @Override
  public Instant getLastAccessedTime() {
    return handle.lastAccessedTime();
  }

  @Override
  public void setMaxInactiveInterval(Duration interval) {
    handle.setMaxInactiveInterval(interval);
  }

  @Override
  public Duration getMaxInactiveInterval() {
    return handle.maxInactiveInterval();
  }

  /** Always false: the store returns live sessions only, and expiry is the store's to judge. */
  @Override
  public boolean isExpired() {
    return false;
  }

  /** Names neither the id nor any value. */
  @Override
  public String toString() {
    return "BodhiSession[" + handle + "]";
  }
}

package app.getbodhi.session.spring;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.web.SessionHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * A Spring Session {@link Session} over one request's {@link SessionHandle}: the handle does what
 * the servlet filter's sessions do (change tracking, per-key merge, deletion wins, atomic
 * rotation), and {@link BodhiSessionRepository#save} commits it.
 *
 * <ul>
 *   <li>Values that are JSON are stored as they are; anything else goes through the {@link
 *       SessionAttributeCodec}.
 *   <li>The principal name (from {@link FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}
 *       or the Spring Security context) is mirrored into the store's indexed {@code user_id} key,
 *       so finding and logging out a user's sessions is one indexed query. That key is the store's,
 *       not an attribute: {@link #getAttributeNames()} does not list it, and an application
 *       attribute that happens to be named {@code user_id} is kept under another key (see {@link
 *       #keyOf}), so a login never overwrites it and it never names a user.
 *   <li>{@link #setLastAccessedTime} is ignored: Spring's filter calls it on every request, and
 *       writing for it would cost every read-only request a write. The store keeps the time of the
 *       last write instead, refreshed when half the timeout has passed.
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

  private final SessionHandle handle;
  private final SessionAttributeCodec codec;
  private final PrincipalNames principalNames;
  private SessionId lastId;

  BodhiSession(SessionHandle handle, SessionAttributeCodec codec, PrincipalNames principalNames) {
    this.handle = Objects.requireNonNull(handle, "handle");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.principalNames = Objects.requireNonNull(principalNames, "principalNames");
    this.lastId = handle.getOrCreate();
  }

  SessionHandle handle() {
    return handle;
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
    return (T)
        handle.get(keyOf(attributeName)).map(v -> codec.decode(attributeName, v)).orElse(null);
  }

  @Override
  public Set<String> getAttributeNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String key : handle.keys()) {
      attributeOf(key).ifPresent(names::add);
    }
    return Collections.unmodifiableSet(names);
  }

  @Override
  public void setAttribute(String attributeName, Object attributeValue) {
    if (attributeValue == null) {
      removeAttribute(attributeName);
      return;
    }
    Object stored =
        SessionRecord.isJsonValue(attributeValue)
            ? attributeValue
            : codec.encode(attributeName, attributeValue);
    handle.put(keyOf(attributeName), stored);
    principalNames.of(attributeName, attributeValue).ifPresent(this::indexPrincipal);
  }

  private void indexPrincipal(String name) {
    if (!handle.get(SessionRecord.USER_ID_KEY).equals(Optional.of(name))) {
      handle.put(SessionRecord.USER_ID_KEY, name);
    }
  }

  @Override
  public void removeAttribute(String attributeName) {
    handle.remove(keyOf(attributeName));
    if (principalNames.indexes(attributeName)) {
      handle.remove(SessionRecord.USER_ID_KEY);
    }
  }

  @Override
  public Instant getCreationTime() {
    return handle.creationTime();
  }

  /** Ignored; see the class comment. */
  @Override
  public void setLastAccessedTime(Instant lastAccessedTime) {}

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

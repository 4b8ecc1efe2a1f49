package app.getbodhi.session.spring.reactive;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * A session as the reactive repository hands it out: the servlet repository's session, with two
 * differences a reactive application relies on.
 *
 * <ul>
 *   <li>The principal name attribute: Spring Session's reactive API names it {@link
 *       ReactiveFindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}, the servlet API {@link
 *       FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}. Both name the one indexed
 *       principal, so a session indexed on a servlet node is found by a reactive one and the other
 *       way round; {@link #getAttributeNames()} lists it under the reactive name.
 *   <li>The id, for a listed session: the current request's own session is listed under its id, not
 *       its ref (see {@link BodhiReactiveSessionRepository}).
 * </ul>
 *
 * <p>Not thread-safe, as the session it wraps.
 */
final class ReactiveSessionView implements Session {

  static final String REACTIVE_INDEX =
      ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;
  static final String SERVLET_INDEX = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

  private final Session session;
  private final String listedId;

  private ReactiveSessionView(Session session, String listedId) {
    this.session = Objects.requireNonNull(session, "session");
    this.listedId = listedId;
  }

  /** The view of a session the servlet repository created or found. */
  static ReactiveSessionView of(Session session) {
    return new ReactiveSessionView(session, null);
  }

  /** The view of a listed session, shown under {@code id}. */
  static ReactiveSessionView listedAs(String id, Session session) {
    return new ReactiveSessionView(session, Objects.requireNonNull(id, "id"));
  }

  /** The servlet repository's session. */
  Session session() {
    return session;
  }

  private static String stored(String attributeName) {
    return REACTIVE_INDEX.equals(attributeName) ? SERVLET_INDEX : attributeName;
  }

  @Override
  public String getId() {
    return listedId != null ? listedId : session.getId();
  }

  @Override
  public String changeSessionId() {
    return session.changeSessionId();
  }

  @Override
  public <T> T getAttribute(String attributeName) {
    return session.getAttribute(stored(attributeName));
  }

  @Override
  public Set<String> getAttributeNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String name : session.getAttributeNames()) {
      names.add(SERVLET_INDEX.equals(name) ? REACTIVE_INDEX : name);
    }
    return Collections.unmodifiableSet(names);
  }

  @Override
  public void setAttribute(String attributeName, Object attributeValue) {
    session.setAttribute(stored(attributeName), attributeValue);
  }

  @Override
  public void removeAttribute(String attributeName) {
    session.removeAttribute(stored(attributeName));
  }

  @Override
  public Instant getCreationTime() {
    return session.getCreationTime();
  }

  @Override
  public void setLastAccessedTime(Instant lastAccessedTime) {
    session.setLastAccessedTime(lastAccessedTime);
  }

  @Override
  public Instant getLastAccessedTime() {
    return session.getLastAccessedTime();
  }

  @Override
  public void setMaxInactiveInterval(Duration interval) {
    session.setMaxInactiveInterval(interval);
  }

  @Override
  public Duration getMaxInactiveInterval() {
    return session.getMaxInactiveInterval();
  }

  @Override
  public boolean isExpired() {
    return session.isExpired();
  }

  /** Names neither the id nor any value. */
  @Override
  public String toString() {
    return "ReactiveSessionView[" + session + "]";
  }
}

package app.getbodhi.session.spring;

import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * A stored session known by its {@linkplain SessionRef ref}, as {@link
 * BodhiSessionRepository#findByIndexNameAndIndexValue} lists it and as {@link
 * BodhiSessionRepository#findById} finds it by that ref. The store is sealed: it keeps a one-way
 * hash of each session id, never the id, and opens a session's attributes only with its id. So a
 * listing can name each session only by its ref, and what it holds is what the store can tell
 * without the id.
 *
 * <p>What a ref-keyed session <b>can</b> do:
 *
 * <ul>
 *   <li>{@link #getId()} is the ref (unless it is {@linkplain #listedUnder listed under} the id of
 *       the request's own session); {@link BodhiSessionRepository#findById} and {@link
 *       BodhiSessionRepository#deleteById} accept it, on any node.
 *   <li>It ends its session: {@link BodhiSessionRepository#deleteById} of the ref deletes it, and
 *       so does saving it after setting Spring Session's expired marker (what {@code
 *       SpringSessionBackedSessionRegistry}'s {@code SessionInformation.expireNow()} does), so
 *       {@code maximumSessions(n)} works with Spring's own registry. The browser holding that
 *       session finds none on its next request, on any node.
 *   <li>It tells its principal name ({@link
 *       FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME} is its one attribute) and, when
 *       listed, its creation and last-access times and its own timeout.
 * </ul>
 *
 * <p>What it <b>cannot</b> do: read or change any other attribute (Spring Security's context
 * included), change its id or its timeout; those throw {@link UnsupportedOperationException}. Found
 * by {@link BodhiSessionRepository#findById} with a ref alone, it also cannot tell its principal
 * and its times (it reads as created and last accessed at the epoch): the store is asked only
 * whether that ref is stored. Its last-access time is the store's, precise to the session layer's
 * granularity.
 *
 * <p>Not thread-safe; a snapshot: it does not follow later changes to the stored session.
 */
public final class ListedSession implements Session {

  /**
   * The attribute Spring Session's {@code SpringSessionBackedSessionInformation} sets to {@code
   * true} to expire a session; saving a listed session that has it deletes the session.
   */
  static final String SPRING_EXPIRED_ATTRIBUTE =
      "org.springframework.session.security.SpringSessionBackedSessionInformation.EXPIRED";

  private final SessionRef ref;
  private final Optional<SessionSummary> summary;
  private final Duration timeout;
  private boolean expired;
  private PrincipalIndexName indexName = PrincipalIndexName.SERVLET;
  private String listedId; // null: listed under its ref

  ListedSession(SessionRef ref, Optional<SessionSummary> summary, Duration timeout) {
    this.ref = Objects.requireNonNull(ref, "ref");
    this.summary = Objects.requireNonNull(summary, "summary");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * The session's ref.
   *
   * @return the ref
   */
  public SessionRef ref() {
    return ref;
  }

  /**
   * Presents this session to Spring Session's reactive API, as the reactive repository lists it:
   * its principal name attribute is then {@link
   * ReactiveFindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}.
   *
   * @return this session
   */
  public ListedSession withReactiveNames() {
    indexName = PrincipalIndexName.REACTIVE;
    return this;
  }

  /**
   * Lists this session under its id rather than its ref: the reactive repository lists the session
   * of the request being served so, because that request knows it by its id. {@link #ref()} and
   * saving are unchanged.
   *
   * @param id the session's id, which the caller holds
   * @return this session
   */
  public ListedSession listedUnder(String id) {
    listedId = Objects.requireNonNull(id, "id");
    return this;
  }

  /** Whether Spring's expired marker was set, so that saving this deletes the session. */
  boolean expireOnSave() {
    return expired;
  }

  /**
   * Returns the ref's text, the key of this session in a listing; or the id it is {@linkplain
   * #listedUnder listed under}.
   */
  @Override
  public String getId() {
    return listedId != null ? listedId : ref.value();
  }

  @Override
  public String changeSessionId() {
    throw unsupported("change its id");
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getAttribute(String attributeName) {
    if (FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME.equals(
        indexName.stored(attributeName))) {
      return (T) summary.flatMap(SessionSummary::userId).orElse(null);
    }
    if (SPRING_EXPIRED_ATTRIBUTE.equals(attributeName) && expired) {
      return (T) Boolean.TRUE;
    }
    return null;
  }

  @Override
  public Set<String> getAttributeNames() {
    return summary.flatMap(SessionSummary::userId).isPresent()
        ? Set.of(indexName.shown(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME))
        : Set.of();
  }

  /**
   * Takes Spring Session's expired marker ({@code true}), which makes {@link
   * BodhiSessionRepository#save} delete the session; refuses every other attribute.
   */
  @Override
  public void setAttribute(String attributeName, Object attributeValue) {
    if (SPRING_EXPIRED_ATTRIBUTE.equals(attributeName)) {
      expired = Boolean.TRUE.equals(attributeValue);
      return;
    }
    throw unsupported("set an attribute");
  }

  @Override
  public void removeAttribute(String attributeName) {
    if (SPRING_EXPIRED_ATTRIBUTE.equals(attributeName)) {
      expired = false;
      return;
    }
    throw unsupported("remove an attribute");
  }

  @Override
  public Instant getCreationTime() {
    return summary.flatMap(SessionSummary::createdAt).orElse(Instant.EPOCH);
  }

  /** Ignored: a listed session is never the one a request is using. */
  @Override
  public void setLastAccessedTime(Instant lastAccessedTime) {}

  @Override
  public Instant getLastAccessedTime() {
    return summary.flatMap(SessionSummary::lastAccessedAt).orElse(getCreationTime());
  }

  @Override
  public void setMaxInactiveInterval(Duration interval) {
    throw unsupported("change its timeout");
  }

  /** The session's own timeout, or the repository's default when it has none. */
  @Override
  public Duration getMaxInactiveInterval() {
    return timeout;
  }

  /** False: only live sessions are listed. */
  @Override
  public boolean isExpired() {
    return false;
  }

  private static UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(
        "A session listed by its ref cannot "
            + what
            + ": the store keeps no session id to open it with. It can be ended:"
            + " BodhiSessionRepository.deleteById(ref).");
  }

  /** Names the ref: safe to show. */
  @Override
  public String toString() {
    return "ListedSession[" + ref + "]";
  }
}

package app.getbodhi.session.spring.reactive;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.spring.BodhiSession;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.ListedSession;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A reactive Spring Session repository over a bodhi-sessions store, for Spring WebFlux through
 * Spring Session's {@code SpringSessionWebSessionStore}. It is the {@link BodhiSessionRepository}
 * with its blocking store calls moved onto a {@link StoreScheduler}, so it keeps every guarantee of
 * that repository and blocks no event-loop thread:
 *
 * <ul>
 *   <li>A read-only request costs one {@code SELECT} ({@link #findById}) and its {@link #save}
 *       writes nothing; a changing request adds one {@code UPDATE}.
 *   <li>Deletion wins (a session deleted meanwhile is never written back), {@link
 *       Session#changeSessionId()} is the store's atomic rotation, and parallel requests changing
 *       different attributes of one session both keep their change.
 *   <li>The idle timeout and sealed storage are the store's and the session handle's, unchanged.
 * </ul>
 *
 * <p>{@link #createSession()} touches no store and runs on the caller's thread; every other method
 * runs its store call on the scheduler and delivers on a non-blocking thread. When the scheduler is
 * saturated, the returned {@code Mono} fails with a {@code SessionServiceException} of kind {@code
 * DATABASE}.
 *
 * <h2>Ids, refs and the principal index</h2>
 *
 * The store is sealed: it keeps no ids. {@link #findByPrincipalName} therefore keys a user's
 * sessions by {@linkplain SessionRef ref}, except the session of the request being served (read
 * from the Reactor context that Spring's {@link ServerWebExchangeContextFilter} fills; the
 * auto-configuration registers it), which is keyed by its id. {@link #deleteById} accepts either,
 * so what {@code findByPrincipalName} returns works with {@code deleteById}, and Spring Session's
 * {@code SpringSessionBackedReactiveSessionRegistry} can limit a user's sessions ({@code
 * maximumSessions(n)}) without ever expiring the session that is logging in. A listed session other
 * than the current one is a read-only summary: its times and principal name, no attributes.
 *
 * <p>The principal name is indexed from the attribute {@link #PRINCIPAL_NAME_INDEX_NAME} (or the
 * servlet API's name for it; both are the one index, shared with servlet nodes on the same store)
 * or from Spring Security's context.
 *
 * <p>{@link #findById} of an id that names no live session, or is not an id at all, completes
 * empty; {@link #deleteById} of such a text does nothing. Thread-safe.
 */
public final class BodhiReactiveSessionRepository
    implements ReactiveSessionRepository<Session>,
        ReactiveFindByIndexNameSessionRepository<Session> {

  private final BodhiSessionRepository sessions;
  private final StoreScheduler scheduler;

  /**
   * A reactive repository over a blocking one.
   *
   * @param sessions the repository over the store; its store calls run on {@code scheduler}
   * @param scheduler where the store calls run; sized to the store's connection pool
   */
  public BodhiReactiveSessionRepository(BodhiSessionRepository sessions, StoreScheduler scheduler) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * Returns the blocking repository this one runs on the scheduler, for code that is already off
   * the event loop.
   *
   * @return the blocking repository
   */
  public BodhiSessionRepository blocking() {
    return sessions;
  }

  /**
   * Starts a session with a fresh id; nothing is written until {@link #save}. Touches no store.
   *
   * @return the new session
   */
  @Override
  public Mono<Session> createSession() {
    return Mono.fromSupplier(() -> sessions.createSession().withReactiveNames());
  }

  /**
   * Writes what the request changed (see {@link BodhiSessionRepository#save}).
   *
   * @param session a session from this repository
   * @return completes when written; fails with {@link IllegalArgumentException} for a session of
   *     another repository
   */
  @Override
  public Mono<Void> save(Session session) {
    if (!(session instanceof BodhiSession bodhi)) {
      return Mono.error(
          new IllegalArgumentException(
              "This repository saves only its own sessions, not a "
                  + (session == null ? "null" : session.getClass().getName())));
    }
    return scheduler.run(() -> sessions.save(bodhi));
  }

  /**
   * Loads a live session: one {@code SELECT}.
   *
   * @param id the session id
   * @return the session, or empty for an unknown, expired or malformed id (no statement for the
   *     last)
   */
  @Override
  public Mono<Session> findById(String id) {
    if (id == null || SessionId.parse(id).isEmpty()) {
      return Mono.empty();
    }
    return scheduler.call(
        () -> {
          // an id, never a ref (refused above): the servlet repository answers with its session
          return sessions.findById(id) instanceof BodhiSession found
              ? found.withReactiveNames()
              : null;
        });
  }

  /**
   * Deletes a session by its id, or by its ref as {@link #findByPrincipalName} keys the sessions of
   * other browsers. Idempotent.
   *
   * @param id a session id or a session ref
   * @return completes when deleted; at once for a text that is neither
   */
  @Override
  public Mono<Void> deleteById(String id) {
    if (id == null) {
      return Mono.empty();
    }
    if (SessionId.parse(id).isPresent()) {
      return scheduler.run(() -> sessions.deleteById(id));
    }
    if (SessionRef.parse(id).isPresent()) {
      return scheduler.run(() -> sessions.deleteByRef(id));
    }
    return Mono.empty();
  }

  /**
   * Revokes one session by its ref, as a "your devices" page does.
   *
   * @param ref the ref's text
   * @return whether a session was deleted
   */
  public Mono<Boolean> deleteByRef(String ref) {
    if (ref == null || SessionRef.parse(ref).isEmpty()) {
      return Mono.just(false);
    }
    return scheduler.call(() -> sessions.deleteByRef(ref));
  }

  /**
   * Finds a user's live sessions with one indexed query; only {@link #PRINCIPAL_NAME_INDEX_NAME} is
   * indexed. See the class comment for how they are keyed.
   *
   * @param indexName the index, {@link #PRINCIPAL_NAME_INDEX_NAME} (or the servlet API's name for
   *     it)
   * @param indexValue the principal name
   * @return the sessions, least recently written first as the store lists them; empty for any other
   *     index
   */
  @Override
  public Mono<Map<String, Session>> findByIndexNameAndIndexValue(
      String indexName, String indexValue) {
    boolean principalIndex =
        PRINCIPAL_NAME_INDEX_NAME.equals(indexName)
            || FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME.equals(indexName);
    if (!principalIndex || indexValue == null) {
      return Mono.just(Map.of());
    }
    return currentSessionId()
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            current ->
                scheduler.call(
                    () ->
                        keyedForRequest(
                            sessions.findByIndexNameAndIndexValue(
                                FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
                                indexValue),
                            current)));
  }

  /** The id of the session of the request being served, when the exchange is in the context. */
  private static Mono<String> currentSessionId() {
    return Mono.deferContextual(
        (ContextView context) ->
            ServerWebExchangeContextFilter.getExchange(context)
                .map(exchange -> exchange.getSession().map(WebSession::getId))
                .orElse(Mono.empty()));
  }

  /** Keys the current request's session by its id instead of its ref, the others by ref. */
  private Map<String, Session> keyedForRequest(
      Map<String, Session> byRef, Optional<String> currentId) {
    Optional<String> currentRef =
        currentId.flatMap(SessionId::parse).map(id -> sessions.store().refOf(id).value());
    Map<String, Session> keyed = new LinkedHashMap<>();
    byRef.forEach(
        (ref, session) -> {
          // the servlet repository lists every session as a ListedSession
          ListedSession listed = ((ListedSession) session).withReactiveNames();
          if (currentRef.isPresent() && ref.equals(currentRef.get())) {
            keyed.put(currentId.get(), listed.listedUnder(currentId.get()));
          } else {
            keyed.put(ref, listed);
          }
        });
    return Collections.unmodifiableMap(keyed);
  }
}

package app.getbodhi.session.spring.reactive;

import static app.getbodhi.session.spring.reactive.SessionFailures.assertSessionFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.session.ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spring.SessionNodes;
import app.getbodhi.session.spring.testing.BlockHoundInstalled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.session.ReactiveSessionInformation;
import org.springframework.security.web.server.authentication.InvalidateLeastUsedServerMaximumSessionsExceededHandler;
import org.springframework.security.web.server.authentication.MaximumSessionsContext;
import org.springframework.session.MapSession;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedReactiveSessionRegistry;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * {@link BodhiReactiveSessionRepository} against what Spring Session expects of a {@code
 * ReactiveFindByIndexNameSessionRepository}, on a real database, with BlockHound installed: every
 * call is subscribed on a non-blocking thread and the work after it runs on one, so a store call
 * that slipped onto such a thread fails the test. The reactive counterpart of the servlet
 * repository's contract, on the same two nodes ({@link SessionNodes}): {@link #repository} on the
 * counted store, {@link #otherNode} on the other one. A subclass names the backend.
 */
@ExtendWith(BlockHoundInstalled.class)
abstract class ReactiveSessionRepositoryContract extends SessionNodes {

  static final Duration WAIT = Duration.ofSeconds(30);

  private StoreScheduler scheduler;
  BodhiReactiveSessionRepository repository;
  BodhiReactiveSessionRepository otherNode;

  @BeforeEach
  void openRepositories() {
    scheduler = StoreScheduler.create(4, StoreScheduler.DEFAULT_QUEUE_PER_THREAD);
    repository = new BodhiReactiveSessionRepository(repositoryOn(store), scheduler);
    otherNode = new BodhiReactiveSessionRepository(repositoryOn(otherStore), scheduler);
  }

  @AfterEach
  void closeScheduler() {
    scheduler.close();
  }

  /** Subscribes as a request does: on a non-blocking thread, which BlockHound watches. */
  static <T> Mono<T> onEventLoop(Mono<T> call) {
    return call.subscribeOn(Schedulers.parallel());
  }

  /** The value of a call made as a request makes it; for setting a test up. */
  static <T> T await(Mono<T> call) {
    return onEventLoop(call).block(WAIT);
  }

  /** A request: looks the session up, lets {@code work} read and change it, saves it. */
  private static Mono<Session> request(
      BodhiReactiveSessionRepository node, String id, Consumer<Session> work) {
    return node.findById(id).doOnNext(work).flatMap(s -> node.save(s).thenReturn(s));
  }

  /** Serves a request on {@code node} as {@link #request} does and checks that it completed. */
  private static void served(
      BodhiReactiveSessionRepository node, String id, Consumer<Session> work) {
    StepVerifier.create(onEventLoop(request(node, id, work))).expectNextCount(1).verifyComplete();
  }

  @Override
  protected String saved(Map<String, Object> attributes) {
    return await(
        repository
            .createSession()
            .flatMap(
                session -> {
                  attributes.forEach(session::setAttribute);
                  return repository.save(session).thenReturn(session.getId());
                }));
  }

  @Nested
  class Creation {
    @Test
    void createSession_gives_a_fresh_id_and_touches_no_store_until_save() {
      counted.reset();

      StepVerifier.create(
              onEventLoop(repository.createSession().zipWith(repository.createSession())))
          .assertNext(
              both -> {
                assertThat(SessionId.parse(both.getT1().getId())).isPresent();
                assertThat(both.getT1().getId()).isNotEqualTo(both.getT2().getId());
              })
          .verifyComplete();
      assertThat(counted.verbs()).isEmpty();
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void save_of_a_new_session_inserts_it_once_and_a_second_save_writes_nothing() {
      Session session = await(repository.createSession());
      session.setAttribute("cart", "apples");
      counted.reset();

      StepVerifier.create(onEventLoop(repository.save(session))).verifyComplete();
      assertThat(counted.verbs()).containsExactly("INSERT");
      StepVerifier.create(onEventLoop(repository.save(session))).verifyComplete();
      assertThat(counted.verbs()).containsExactly("INSERT");
      StepVerifier.create(onEventLoop(otherNode.findById(session.getId())))
          .assertNext(found -> assertThat(found.<String>getAttribute("cart")).isEqualTo("apples"))
          .verifyComplete();
    }
  }

  @Nested
  class Lookup {
    @Test
    void
        findById_of_an_unknown_or_malformed_id_completes_empty_and_a_malformed_one_costs_nothing() {
      saved(Map.of("cart", "apples"));
      counted.reset();

      StepVerifier.create(onEventLoop(repository.findById("not-a-session-id"))).verifyComplete();
      StepVerifier.create(onEventLoop(repository.findById(null))).verifyComplete();
      assertThat(counted.verbs()).isEmpty();
      StepVerifier.create(onEventLoop(repository.findById(SessionId.generate().value())))
          .verifyComplete();
      assertThat(counted.verbs()).containsExactly("SELECT");
    }

    @Test
    void findById_returns_the_attributes_and_times_as_stored_for_one_select() {
      Session session = await(repository.createSession());
      session.setAttribute("cart", List.of("apples", "pears"));
      session.setMaxInactiveInterval(Duration.ofMinutes(45));
      clock.advance(Duration.ofSeconds(5));
      await(repository.save(session));
      clock.advance(Duration.ofMinutes(1));
      counted.reset();

      StepVerifier.create(onEventLoop(repository.findById(session.getId())))
          .assertNext(
              found -> {
                assertThat(found.getId()).isEqualTo(session.getId());
                assertThat(found.<List<String>>getAttribute("cart"))
                    .containsExactly("apples", "pears");
                assertThat(found.getCreationTime()).isEqualTo(T0);
                assertThat(found.getLastAccessedTime()).isEqualTo(T0.plusSeconds(5));
                assertThat(found.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(45));
              })
          .verifyComplete();
      assertThat(counted.verbs()).containsExactly("SELECT");
    }
  }

  @Nested
  class Saving {
    @Test
    void a_read_only_request_is_one_select_and_no_write() {
      String id = saved(Map.of("cart", "apples"));
      clock.advance(Duration.ofMinutes(1));
      counted.reset();

      served(
          repository,
          id,
          s -> {
            s.setLastAccessedTime(clock.instant());
            assertThat(s.<String>getAttribute("cart")).isEqualTo("apples");
          });
      assertThat(counted.verbs()).containsExactly("SELECT");
    }

    @Test
    void a_changing_request_is_one_select_and_one_update() {
      String id = saved(Map.of("cart", "apples", "coupon", "SPRING"));
      counted.reset();

      served(
          repository,
          id,
          s -> {
            s.setAttribute("cart", "pears");
            s.removeAttribute("coupon");
          });

      assertThat(counted.verbs()).containsExactly("SELECT", "UPDATE");
      StepVerifier.create(onEventLoop(otherNode.findById(id)))
          .assertNext(
              found -> {
                assertThat(found.getAttributeNames()).containsExactly("cart");
                assertThat(found.<String>getAttribute("cart")).isEqualTo("pears");
              })
          .verifyComplete();
    }

    @Test
    void saving_a_session_of_another_repository_fails_and_writes_nothing() {
      counted.reset();

      StepVerifier.create(onEventLoop(repository.save(new MapSession())))
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining("MapSession"))
          .verify(WAIT);
      assertThat(counted.verbs()).isEmpty();
    }

    @Test
    void a_value_the_codec_refuses_fails_the_request_and_nothing_is_stored() {
      String id = saved(Map.of("cart", "apples"));

      StepVerifier.create(
              onEventLoop(request(repository, id, s -> s.setAttribute("basket", new Object()))))
          .expectErrorSatisfies(
              e ->
                  assertSessionFailure(e, SessionServiceException.Kind.SERIALIZATION)
                      .hasMessageNotContaining(id))
          .verify(WAIT);
      assertThat(await(otherNode.findById(id)).getAttributeNames()).containsExactly("cart");
    }
  }

  @Nested
  class Deletion {
    @Test
    void deleteById_removes_the_session_and_ignores_a_missing_or_malformed_id() {
      String id = saved(Map.of("cart", "apples"));
      String kept = saved(Map.of("cart", "pears"));

      StepVerifier.create(onEventLoop(repository.deleteById(id))).verifyComplete();
      StepVerifier.create(onEventLoop(repository.deleteById(id))).verifyComplete();
      StepVerifier.create(onEventLoop(repository.deleteById("not-an-id"))).verifyComplete();

      StepVerifier.create(onEventLoop(otherNode.findById(id))).verifyComplete();
      assertThat(database.sessionRowCount()).isEqualTo(1);
      StepVerifier.create(onEventLoop(otherNode.findById(kept)))
          .expectNextCount(1)
          .verifyComplete();
    }

    @Test
    void a_session_deleted_by_another_node_between_find_and_save_is_not_written_back() {
      String id = saved(Map.of("cart", "apples"));
      Session session = await(repository.findById(id));
      session.setAttribute("cart", "pears");

      await(otherNode.deleteById(id));
      StepVerifier.create(onEventLoop(repository.save(session))).verifyComplete();

      assertThat(database.sessionRowCount()).isZero();
    }
  }

  @Nested
  class Rotation {
    @Test
    void changeSessionId_moves_the_session_to_a_new_id_atomically_leaving_one_row() {
      String oldId = saved(Map.of("cart", "apples"));

      String newId =
          await(
              request(
                      repository,
                      oldId,
                      s -> {
                        s.changeSessionId();
                        s.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "alice");
                      })
                  .map(Session::getId));

      assertThat(newId).isNotEqualTo(oldId);
      StepVerifier.create(onEventLoop(otherNode.findById(oldId))).verifyComplete();
      StepVerifier.create(onEventLoop(otherNode.findById(newId)))
          .assertNext(
              moved -> {
                assertThat(moved.<String>getAttribute("cart")).isEqualTo("apples");
                assertThat(moved.getCreationTime()).isEqualTo(T0);
              })
          .verifyComplete();
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void a_login_rotation_after_another_node_deleted_the_session_carries_none_of_its_data() {
      String oldId = saved(Map.of("cart", "apples"));
      Session session = await(repository.findById(oldId));
      session.changeSessionId();
      session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "alice");

      await(otherNode.deleteById(oldId));
      await(repository.save(session));

      StepVerifier.create(onEventLoop(otherNode.findById(session.getId())))
          .assertNext(
              fresh ->
                  assertThat(fresh.getAttributeNames()).containsExactly(PRINCIPAL_NAME_INDEX_NAME))
          .verifyComplete();
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }
  }

  @Nested
  class Concurrency {
    @Test
    void parallel_changes_to_different_attributes_on_two_nodes_both_survive() {
      String id = saved(Map.of("cart", "apples"));
      Session here = await(repository.findById(id));
      Session there = await(otherNode.findById(id));
      here.setAttribute("theme", "dark");
      there.setAttribute("cart", "pears");

      await(repository.save(here).then(otherNode.save(there)));

      Session merged = await(repository.findById(id));
      assertThat(merged.<String>getAttribute("theme")).isEqualTo("dark");
      assertThat(merged.<String>getAttribute("cart")).isEqualTo("pears");
    }

    @Test
    void sixteen_concurrent_requests_each_setting_their_own_key_lose_none() {
      String id = saved(Map.of("cart", "apples"));

      Flux<Session> requests =
          Flux.range(0, 16)
              .flatMap(
                  i ->
                      onEventLoop(
                          request(
                              i % 2 == 0 ? repository : otherNode,
                              id,
                              s -> s.setAttribute("key" + i, i))),
                  16);
      StepVerifier.create(requests).expectNextCount(16).verifyComplete();

      Session merged = await(repository.findById(id));
      assertThat(merged.getAttributeNames())
          .containsAll(IntStream.range(0, 16).mapToObj(i -> "key" + i).toList())
          .contains("cart");
    }
  }

  @Nested
  class Lifetime {
    @Test
    void a_session_expires_after_its_own_timeout_and_a_read_keeps_it_alive() {
      Session session = await(repository.createSession());
      session.setAttribute("cart", "apples");
      session.setMaxInactiveInterval(Duration.ofMinutes(10));
      await(repository.save(session));
      String kept = session.getId();
      String idle = saved(Map.of("cart", "pears"));

      // read every 6 minutes for an hour: never idle for its timeout, never gone
      for (int i = 0; i < 10; i++) {
        clock.advance(Duration.ofMinutes(6));
        served(repository, kept, s -> {});
      }
      StepVerifier.create(onEventLoop(repository.findById(idle))).verifyComplete();

      clock.advance(Duration.ofMinutes(21));
      StepVerifier.create(onEventLoop(otherNode.findById(kept))).verifyComplete();
    }
  }

  @Nested
  class SealedStorage {
    @Test
    void no_cell_of_the_table_holds_the_id_or_a_value_in_clear() {
      String id = saved(Map.of("cart", "apples-secret-value"));

      List<String> cells =
          database.sessionTableCells().stream()
              .map(cell -> new String(cell, StandardCharsets.ISO_8859_1))
              .toList();

      assertThat(cells).isNotEmpty().noneMatch(cell -> cell.contains(id));
      assertThat(cells).noneMatch(cell -> cell.contains("apples-secret-value"));
    }
  }

  @Nested
  class PrincipalIndex {
    @Test
    void findByPrincipalName_lists_other_sessions_by_ref_with_one_select() {
      String byContext = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice")));
      String byIndex = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
      saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "bob"));
      counted.reset();

      StepVerifier.create(onEventLoop(repository.findByPrincipalName("alice")))
          .assertNext(
              alices -> {
                assertThat(alices.keySet())
                    .containsExactlyInAnyOrder(refOf(byContext), refOf(byIndex));
                assertThat(alices)
                    .allSatisfy(
                        (key, listed) -> {
                          assertThat(listed.getId()).isEqualTo(key);
                          assertThat(listed.<String>getAttribute(PRINCIPAL_NAME_INDEX_NAME))
                              .isEqualTo("alice");
                        });
              })
          .verifyComplete();
      assertThat(counted.verbs()).containsExactly("SELECT");
      StepVerifier.create(onEventLoop(repository.findByIndexNameAndIndexValue("cart", "alice")))
          .assertNext(found -> assertThat(found).isEmpty())
          .verifyComplete();
    }

    @Test
    void the_session_of_the_request_being_served_is_listed_under_its_id() {
      String other = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
      String current = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));

      StepVerifier.create(
              onEventLoop(inRequestOf(current, repository.findByPrincipalName("alice"))))
          .assertNext(
              alices -> {
                assertThat(alices.keySet()).containsExactlyInAnyOrder(refOf(other), current);
                assertThat(alices.get(current).getId()).isEqualTo(current);
              })
          .verifyComplete();
    }

    @Test
    void deleteById_of_a_listed_ref_revokes_that_one_session() {
      String revoked = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
      String kept = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));

      StepVerifier.create(onEventLoop(otherNode.deleteById(refOf(revoked)))).verifyComplete();

      StepVerifier.create(onEventLoop(repository.findById(revoked))).verifyComplete();
      StepVerifier.create(onEventLoop(repository.findById(kept)))
          .expectNextCount(1)
          .verifyComplete();
      StepVerifier.create(onEventLoop(repository.deleteByRef(refOf(kept))))
          .expectNext(true)
          .verifyComplete();
      StepVerifier.create(onEventLoop(repository.deleteByRef("not-a-ref")))
          .expectNext(false)
          .verifyComplete();
    }

    @Test
    void a_security_context_round_trips_and_indexes_its_principal() {
      SecurityContext context = loggedIn("alice");
      String id = saved(Map.of("SPRING_SECURITY_CONTEXT", context));

      StepVerifier.create(onEventLoop(otherNode.findById(id)))
          .assertNext(
              found -> {
                SecurityContext read = found.getAttribute("SPRING_SECURITY_CONTEXT");
                assertThat(read).isEqualTo(context);
                assertThat(found.getAttributeNames()).containsExactly("SPRING_SECURITY_CONTEXT");
              })
          .verifyComplete();
      assertThat(await(repository.findByPrincipalName("alice"))).hasSize(1);
    }

    /** Runs {@code call} as part of a request whose session is {@code id}. */
    private <T> Mono<T> inRequestOf(String id, Mono<T> call) {
      WebSession session =
          await(new SpringSessionWebSessionStore<>(repository).retrieveSession(id));
      MockServerWebExchange exchange =
          MockServerWebExchange.builder(MockServerHttpRequest.get("/")).session(session).build();
      return call.contextWrite(
          context ->
              context.put(ServerWebExchangeContextFilter.EXCHANGE_CONTEXT_ATTRIBUTE, exchange));
    }
  }

  @Nested
  class SessionRegistry {
    @Test
    void springs_registry_lists_a_users_sessions_and_invalidating_one_deletes_it_on_every_node() {
      TwoLogins alice = loggedInTwice("alice");
      saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("bob")));
      SpringSessionBackedReactiveSessionRegistry<Session> registry =
          new SpringSessionBackedReactiveSessionRegistry<>(repository, repository);

      List<ReactiveSessionInformation> alices =
          await(
              registry
                  .getAllSessions(loggedIn("alice").getAuthentication().getPrincipal())
                  .collectList());
      assertThat(alices)
          .extracting(ReactiveSessionInformation::getSessionId)
          .containsExactlyInAnyOrder(refOf(alice.older()), refOf(alice.newer()));
      ReactiveSessionInformation oldest =
          alices.stream()
              .filter(i -> i.getSessionId().equals(refOf(alice.older())))
              .findFirst()
              .orElseThrow();
      assertThat(oldest.getLastAccessTime()).isEqualTo(T0);

      StepVerifier.create(onEventLoop(oldest.invalidate())).verifyComplete();

      StepVerifier.create(onEventLoop(otherNode.findById(alice.older()))).verifyComplete();
      StepVerifier.create(onEventLoop(otherNode.findById(alice.newer())))
          .expectNextCount(1)
          .verifyComplete();
    }

    @Test
    void a_limit_of_one_session_expires_the_older_one_and_never_the_one_logging_in() {
      TwoLogins alice = loggedInTwice("alice");
      String loggingIn = alice.newer();
      SpringSessionBackedReactiveSessionRegistry<Session> registry =
          new SpringSessionBackedReactiveSessionRegistry<>(repository, repository);
      SpringSessionWebSessionStore<Session> webSessions =
          new SpringSessionWebSessionStore<>(repository);
      WebSession current = await(webSessions.retrieveSession(loggingIn));
      MockServerWebExchange exchange =
          MockServerWebExchange.builder(MockServerHttpRequest.get("/")).session(current).build();

      // what Spring Security's ConcurrentSessionControlServerAuthenticationSuccessHandler does
      Mono<Void> limit =
          registry
              .getAllSessions(loggedIn("alice").getAuthentication().getPrincipal())
              .collectList()
              .flatMap(
                  sessions ->
                      new InvalidateLeastUsedServerMaximumSessionsExceededHandler(webSessions)
                          .handle(
                              new MaximumSessionsContext(
                                  loggedIn("alice").getAuthentication(), sessions, 1, current)))
              .contextWrite(
                  context ->
                      context.put(
                          ServerWebExchangeContextFilter.EXCHANGE_CONTEXT_ATTRIBUTE, exchange));
      StepVerifier.create(onEventLoop(limit)).verifyComplete();

      StepVerifier.create(onEventLoop(otherNode.findById(alice.older()))).verifyComplete();
      StepVerifier.create(onEventLoop(otherNode.findById(loggingIn)))
          .expectNextCount(1)
          .verifyComplete();
    }
  }
}

package app.getbodhi.session.webflux.example;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.example.DeviceList;
import app.getbodhi.session.example.ExampleHtml;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spring.reactive.BodhiReactiveSessionRepository;
import app.getbodhi.session.spring.reactive.StoreScheduler;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * "Your devices": the user's live sessions, one row each, and a button that revokes one.
 *
 * <p>The store is sealed: it keeps no session id, only each session's {@linkplain SessionRef ref}
 * (a hash of the id). So the page lists refs, and marks this browser's row by comparing with the
 * ref of this request's own session id; the id itself never appears in a page. Revoking by ref is
 * allowed only for the user's own sessions. The store's calls run on the {@link StoreScheduler}.
 *
 * <ul>
 *   <li>{@code GET /devices}: the list, oldest first, this browser marked.
 *   <li>{@code POST /devices/revoke}, form field {@code ref}: deletes that session, so the browser
 *       holding it is logged out on its next request, on any node. A ref that is not one of the
 *       user's live sessions is a 404, whether it exists or not. This browser's own ref logs this
 *       browser out.
 * </ul>
 */
@RestController
class DevicesPage {

  private final ManagedSessionStore store;
  private final StoreScheduler scheduler;
  private final BodhiReactiveSessionRepository repository;

  DevicesPage(
      DefaultSessionService sessions,
      StoreScheduler scheduler,
      BodhiReactiveSessionRepository repository) {
    this.store = sessions.getSessionStore();
    this.scheduler = scheduler;
    this.repository = repository;
  }

  @GetMapping(value = "/devices", produces = ExampleHtml.TYPE)
  Mono<String> devices(Principal user, WebSession session, ServerWebExchange exchange) {
    Optional<SessionRef> current = refOf(session);
    return devicesOf(user)
        .zipWith(ExamplePages.csrfField(exchange))
        .map(
            devicesAndCsrf ->
                ExamplePages.HTML.devices(
                    user.getName(), devicesAndCsrf.getT1(), current, devicesAndCsrf.getT2()));
  }

  @PostMapping("/devices/revoke")
  Mono<ResponseEntity<String>> revoke(
      Principal user, WebSession session, ServerWebExchange exchange) {
    return exchange
        .getFormData()
        .map(form -> Optional.ofNullable(form.getFirst("ref")).orElse(""))
        .zipWith(devicesOf(user))
        .flatMap(
            refAndDevices -> {
              Optional<SessionRef> mine =
                  DeviceList.own(refAndDevices.getT2(), refAndDevices.getT1());
              if (mine.isEmpty()) {
                return Mono.just(ExamplePages.HTML.noSuchDevice());
              }
              if (mine.equals(refOf(session))) {
                return session.invalidate().thenReturn(ExampleHtml.seeOther("/login?logout"));
              }
              return repository
                  .deleteByRef(mine.get().value())
                  .thenReturn(ExampleHtml.seeOther("/devices"));
            });
  }

  private Mono<List<SessionSummary>> devicesOf(Principal user) {
    return scheduler.call(() -> DeviceList.oldestFirst(store.getSessionsForUser(user.getName())));
  }

  private Optional<SessionRef> refOf(WebSession session) {
    return SessionId.parse(session.getId()).map(store::refOf);
  }
}

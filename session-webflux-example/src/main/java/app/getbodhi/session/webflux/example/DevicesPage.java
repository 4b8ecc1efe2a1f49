package app.getbodhi.session.webflux.example;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spring.reactive.BodhiReactiveSessionRepository;
import app.getbodhi.session.spring.reactive.StoreScheduler;
import java.security.Principal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
 * allowed only for the user's own sessions.
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

  /** How many characters of a ref the page shows: enough to tell a user's sessions apart. */
  static final int SHORT_REF = 8;

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

  @GetMapping(value = "/devices", produces = Html.TYPE)
  Mono<String> devices(Principal user, WebSession session, ServerWebExchange exchange) {
    Optional<SessionRef> current = refOf(session);
    return devicesOf(user)
        .zipWith(Html.csrfField(exchange))
        .map(devicesAndCsrf -> page(user, devicesAndCsrf.getT1(), current, devicesAndCsrf.getT2()));
  }

  private Mono<List<SessionSummary>> devicesOf(Principal user) {
    return scheduler.call(
        () ->
            store.getSessionsForUser(user.getName()).stream()
                .sorted(
                    Comparator.comparing(
                        (SessionSummary s) -> s.createdAt().orElse(s.expiryDate())))
                .toList());
  }

  private static String page(
      Principal user, List<SessionSummary> devices, Optional<SessionRef> current, String csrf) {
    StringBuilder rows = new StringBuilder();
    for (SessionSummary device : devices) {
      String ref = Html.text(device.ref().value());
      boolean self = current.equals(Optional.of(device.ref()));
      rows.append(
          """
          <tr id="device-%s" class="%s">
            <td><code title="%s">%s…</code>%s</td>
            <td>%s</td>
            <td>%s</td>
            <td><form method="post" action="/devices/revoke">
              <input type="hidden" name="ref" value="%s">
              %s
              <button id="revoke-%s" type="submit">%s</button>
            </form></td>
          </tr>
          """
              .formatted(
                  ref,
                  self ? "device this-device" : "device",
                  ref,
                  ref.substring(0, SHORT_REF),
                  self ? " <strong>(this device)</strong>" : "",
                  device.createdAt().map(Html::time).orElse("unknown"),
                  device.lastAccessedAt().map(Html::time).orElse("unknown"),
                  ref,
                  csrf,
                  ref,
                  self ? "Log out" : "Revoke"));
    }
    return Html.page(
        "Your devices",
        """
        <p>Browsers logged in as <strong id="user">%s</strong>: <strong id="device-count">%d</strong>.
          Revoking one logs it out on its next request.</p>
        <table id="devices">
          <tr><th>Session</th><th>Logged in (UTC)</th><th>Last active (UTC)</th><th></th></tr>
        %s</table>
        <p><a id="home-link" href="/">Back</a></p>
        """
            .formatted(Html.text(user.getName()), devices.size(), rows));
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
                  refAndDevices.getT2().stream()
                      .map(SessionSummary::ref)
                      .filter(r -> r.value().equals(refAndDevices.getT1()))
                      .findFirst();
              if (mine.isEmpty()) {
                // the same answer for another user's session and for none
                return Mono.just(notFound());
              }
              if (mine.equals(refOf(session))) {
                return session.invalidate().thenReturn(ExamplePages.seeOther("/login?logout"));
              }
              return repository
                  .deleteByRef(mine.get().value())
                  .thenReturn(ExamplePages.seeOther("/devices"));
            });
  }

  private static ResponseEntity<String> notFound() {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .contentType(MediaType.parseMediaType(Html.TYPE))
        .body(
            Html.page(
                "No such device",
                "<p id=\"not-found\">None of your sessions has that ref.</p>"
                    + "<p><a href=\"/devices\">Your devices</a></p>"));
  }

  private Optional<SessionRef> refOf(WebSession session) {
    return SessionId.parse(session.getId()).map(store::refOf);
  }
}

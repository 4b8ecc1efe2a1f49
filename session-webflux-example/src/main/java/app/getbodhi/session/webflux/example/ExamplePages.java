package app.getbodhi.session.webflux.example;

import app.getbodhi.session.example.ExampleHtml;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spring.reactive.StoreScheduler;
import java.security.Principal;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * The login page, the home page and "log out everywhere". Sessions are plain {@link WebSession}s:
 * Spring Session's {@code WebSessionManager} backs them with the store. The application's own store
 * calls (counting and clearing a user's sessions) run on the auto-configured {@link
 * StoreScheduler}, never on the event loop. The pages themselves are {@link ExampleHtml}'s, which
 * the Spring MVC example renders too.
 *
 * <ul>
 *   <li>{@code GET /login}: the login form ({@code POST /login} is Spring Security's).
 *   <li>{@code GET /}: the user, the visit counter (kept in the session, one more on each view),
 *       the user's session count, the two logout buttons and a link to the devices page.
 *   <li>{@code POST /logout-everywhere}: deletes every session of the user, on every node that
 *       shares the store, this one included. ({@code POST /logout} is Spring Security's and ends
 *       this session only.)
 * </ul>
 */
@RestController
class ExamplePages {

  /** Every page of this application. */
  static final ExampleHtml HTML = new ExampleHtml("Spring WebFlux");

  private final DefaultSessionService sessions;
  private final StoreScheduler store;

  ExamplePages(DefaultSessionService sessions, StoreScheduler store) {
    this.sessions = sessions;
    this.store = store;
  }

  /**
   * The form field of the request's CSRF token. Spring Security's WebFlux filter offers the token
   * lazily; asking for it here keeps it in the session.
   */
  static Mono<String> csrfField(ServerWebExchange exchange) {
    Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
    return token == null
        ? Mono.just("")
        : token.map(csrf -> ExampleHtml.csrfField(csrf.getParameterName(), csrf.getToken()));
  }

  @GetMapping(value = "/login", produces = ExampleHtml.TYPE)
  Mono<ResponseEntity<String>> login(ServerWebExchange exchange) {
    // Spring Security redirects to "/login?error" and "/login?logout": flags without a value,
    // which Spring binds to a String @RequestParam as null, so they are looked up by name
    MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
    Mono<ResponseEntity<String>> form =
        csrfField(exchange)
            .map(
                csrf ->
                    ExampleHtml.ok(
                        HTML.login(query.containsKey("error"), query.containsKey("logout"), csrf)));
    // a logged-in user has nothing to do here
    return exchange.getPrincipal().map(user -> ExampleHtml.seeOther("/")).switchIfEmpty(form);
  }

  @GetMapping(value = "/", produces = ExampleHtml.TYPE)
  Mono<String> home(Principal user, WebSession session, ServerWebExchange exchange) {
    long visits = ExampleHtml.nextVisit(session.getAttribute(ExampleHtml.VISITS));
    session.getAttributes().put(ExampleHtml.VISITS, visits);
    return store
        .call(() -> sessions.countSessionsForUser(user.getName()))
        .zipWith(csrfField(exchange))
        .map(
            countAndCsrf ->
                HTML.home(user.getName(), visits, countAndCsrf.getT1(), countAndCsrf.getT2()));
  }

  @PostMapping("/logout-everywhere")
  Mono<ResponseEntity<String>> logoutEverywhere(Principal user, WebSession session) {
    // every row of the user goes, this one included; invalidating it too keeps this request
    // from writing anything of it back
    return store
        .call(() -> sessions.clearSessionsForUser(user.getName()))
        .then(session.invalidate())
        .thenReturn(ExampleHtml.seeOther("/login?logout"));
  }
}

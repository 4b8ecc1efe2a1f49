package app.getbodhi.session.webflux.example;

import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spring.reactive.StoreScheduler;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
 * StoreScheduler}, never on the event loop.
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

  /** The demo users, all with the password {@code example.password}. */
  static final List<String> USERS = List.of("alice", "bob", "carol");

  /** The session attribute of the visit counter. */
  static final String VISITS = "visits";

  private final DefaultSessionService sessions;
  private final StoreScheduler store;

  ExamplePages(DefaultSessionService sessions, StoreScheduler store) {
    this.sessions = sessions;
    this.store = store;
  }

  @GetMapping(value = "/login", produces = Html.TYPE)
  Mono<ResponseEntity<String>> login(ServerWebExchange exchange) {
    // Spring Security redirects to "/login?error" and "/login?logout": flags without a value,
    // which Spring binds to a String @RequestParam as null, so they are looked up by name
    MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
    String notice =
        query.containsKey("error")
            ? "<p class=\"error\" id=\"error\">Wrong user name or password.</p>"
            : query.containsKey("logout") ? "<p id=\"logged-out\">You are logged out.</p>" : "";
    Mono<ResponseEntity<String>> form =
        Html.csrfField(exchange)
            .map(
                csrf ->
                    html(
                        Html.page(
                            "Log in",
                            notice
                                + """
                                <form method="post" action="/login">
                                  <p><label for="username">User name</label>
                                    <input id="username" name="username" autocomplete="username"
                                      autofocus required></p>
                                  <p><label for="password">Password</label>
                                    <input id="password" name="password" type="password"
                                      autocomplete="current-password" required></p>
                                  %s
                                  <button id="login" type="submit">Log in</button>
                                </form>
                                <p class="hint">Users: %s. Password: the
                                  <code>example.password</code> property (<code>%s</code> unless
                                  set).</p>
                                """
                                    .formatted(
                                        csrf,
                                        Html.text(String.join(", ", USERS)),
                                        Html.text(ExampleProperties.DEFAULT_PASSWORD)))));
    // a logged-in user has nothing to do here
    return exchange.getPrincipal().map(user -> seeOther("/")).switchIfEmpty(form);
  }

  @GetMapping(value = "/", produces = Html.TYPE)
  Mono<String> home(Principal user, WebSession session, ServerWebExchange exchange) {
    long visits =
        (session.getAttribute(VISITS) instanceof Number number ? number.longValue() : 0L) + 1;
    session.getAttributes().put(VISITS, visits);
    return store
        .call(() -> sessions.countSessionsForUser(user.getName()))
        .zipWith(Html.csrfField(exchange))
        .map(
            countAndCsrf ->
                Html.page(
                    "Welcome",
                    """
                    <p>Logged in as <strong id="user">%s</strong>.</p>
                    <p>Visits in this session: <strong id="visits">%d</strong></p>
                    <p>Your sessions (browsers logged in as you): <strong id="sessions">%d</strong>
                      · <a id="devices-link" href="/devices">Your devices</a></p>
                    <form class="inline" method="post" action="/logout">
                      %s
                      <button id="logout" type="submit">Log out</button>
                    </form>
                    <form class="inline" method="post" action="/logout-everywhere">
                      %s
                      <button id="logout-everywhere" type="submit">Log out everywhere</button>
                    </form>
                    """
                        .formatted(
                            Html.text(user.getName()),
                            visits,
                            countAndCsrf.getT1(),
                            countAndCsrf.getT2(),
                            countAndCsrf.getT2())));
  }

  @PostMapping("/logout-everywhere")
  Mono<ResponseEntity<String>> logoutEverywhere(Principal user, WebSession session) {
    // every row of the user goes, this one included; invalidating it too keeps this request
    // from writing anything of it back
    return store
        .call(() -> sessions.clearSessionsForUser(user.getName()))
        .then(session.invalidate())
        .thenReturn(seeOther("/login?logout"));
  }

  static ResponseEntity<String> html(String page) {
    return ResponseEntity.ok().contentType(MediaType.parseMediaType(Html.TYPE)).body(page);
  }

  /** 303: the browser follows a POST's redirect with a GET, and a reload does not post again. */
  static ResponseEntity<String> seeOther(String location) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(location)).build();
  }
}

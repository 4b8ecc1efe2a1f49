package app.getbodhi.session.spring.example;

import app.getbodhi.session.service.DefaultSessionService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The login page, the home page and "log out everywhere". Sessions are plain {@link HttpSession}s:
 * Spring Session's filter backs them with the store.
 *
 * <ul>
 *   <li>{@code GET /login}: the login form ({@code POST /login} is Spring Security's).
 *   <li>{@code GET /}: the user, the visit counter (kept in the session, one more on each view),
 *       the user's session count, the two logout buttons and a link to the devices page.
 *   <li>{@code POST /logout-everywhere}: deletes every session of the user, on every node that
 *       shares the store, then logs this browser out. ({@code POST /logout} is Spring Security's
 *       and ends this session only.)
 * </ul>
 */
@RestController
class ExamplePages {

  /** The demo users, all with the password {@code example.password}. */
  static final List<String> USERS = List.of("alice", "bob", "carol");

  /** The session attribute of the visit counter. */
  static final String VISITS = "visits";

  private final DefaultSessionService sessions;
  private final SecurityContextLogoutHandler logout = new SecurityContextLogoutHandler();

  ExamplePages(DefaultSessionService sessions) {
    this.sessions = sessions;
  }

  @GetMapping(value = "/login", produces = Html.TYPE)
  ResponseEntity<String> login(
      @RequestParam(name = "error", required = false) String error,
      @RequestParam(name = "logout", required = false) String logout,
      Authentication authentication,
      CsrfToken csrf) {
    if (authentication != null
        && authentication.isAuthenticated()
        && !(authentication instanceof AnonymousAuthenticationToken)) {
      return seeOther("/");
    }
    String notice =
        error != null
            ? "<p class=\"error\" id=\"error\">Wrong user name or password.</p>"
            : logout != null ? "<p id=\"logged-out\">You are logged out.</p>" : "";
    String body =
        notice
            + """
            <form method="post" action="/login">
              <p><label for="username">User name</label>
                <input id="username" name="username" autocomplete="username" autofocus required></p>
              <p><label for="password">Password</label>
                <input id="password" name="password" type="password"
                  autocomplete="current-password" required></p>
              %s
              <button id="login" type="submit">Log in</button>
            </form>
            <p class="hint">Users: %s. Password: the <code>example.password</code> property
              (<code>%s</code> unless set).</p>
            """
                .formatted(
                    Html.csrfField(csrf),
                    Html.text(String.join(", ", USERS)),
                    Html.text(ExampleProperties.DEFAULT_PASSWORD));
    return ResponseEntity.ok(Html.page("Log in", body));
  }

  @GetMapping(value = "/", produces = Html.TYPE)
  String home(Authentication user, HttpSession session, CsrfToken csrf) {
    long visits =
        (session.getAttribute(VISITS) instanceof Number number ? number.longValue() : 0L) + 1;
    session.setAttribute(VISITS, visits);
    int count = sessions.countSessionsForUser(user.getName());
    String body =
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
                count,
                Html.csrfField(csrf),
                Html.csrfField(csrf));
    return Html.page("Welcome", body);
  }

  @PostMapping("/logout-everywhere")
  ResponseEntity<String> logoutEverywhere(
      Authentication user, HttpServletRequest request, HttpServletResponse response) {
    // every row of the user goes, this one included; logging out then also expires this
    // browser's cookie and keeps the filter from saving the session it holds
    sessions.clearSessionsForUser(user.getName());
    logout.logout(request, response, user);
    return seeOther("/login?logout");
  }

  /** 303: the browser follows a POST's redirect with a GET, and a reload does not post again. */
  static ResponseEntity<String> seeOther(String location) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(location)).build();
  }
}

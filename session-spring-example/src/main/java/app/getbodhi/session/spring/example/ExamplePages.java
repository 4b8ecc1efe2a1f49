package app.getbodhi.session.spring.example;

import app.getbodhi.session.example.ExampleHtml;
import app.getbodhi.session.service.DefaultSessionService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
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
 * Spring Session's filter backs them with the store. The pages themselves are {@link
 * ExampleHtml}'s, which the WebFlux example renders too.
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

  /** Every page of this application. */
  static final ExampleHtml HTML = new ExampleHtml("Spring Boot");

  private final DefaultSessionService sessions;
  private final SecurityContextLogoutHandler logout = new SecurityContextLogoutHandler();

  ExamplePages(DefaultSessionService sessions) {
    this.sessions = sessions;
  }

  /** The form field of the request's CSRF token. */
  static String csrfField(CsrfToken csrf) {
    return ExampleHtml.csrfField(csrf.getParameterName(), csrf.getToken());
  }

  @GetMapping(value = "/login", produces = ExampleHtml.TYPE)
  ResponseEntity<String> login(
      @RequestParam(name = "error", required = false) String error,
      @RequestParam(name = "logout", required = false) String logout,
      Authentication authentication,
      CsrfToken csrf) {
    if (authentication != null
        && authentication.isAuthenticated()
        && !(authentication instanceof AnonymousAuthenticationToken)) {
      return ExampleHtml.seeOther("/");
    }
    return ResponseEntity.ok(HTML.login(error != null, logout != null, csrfField(csrf)));
  }

  @GetMapping(value = "/", produces = ExampleHtml.TYPE)
  String home(Authentication user, HttpSession session, CsrfToken csrf) {
    long visits = ExampleHtml.nextVisit(session.getAttribute(ExampleHtml.VISITS));
    session.setAttribute(ExampleHtml.VISITS, visits);
    int count = sessions.countSessionsForUser(user.getName());
    return HTML.home(user.getName(), visits, count, csrfField(csrf));
  }

  @PostMapping("/logout-everywhere")
  ResponseEntity<String> logoutEverywhere(
      Authentication user, HttpServletRequest request, HttpServletResponse response) {
    // every row of the user goes, this one included; logging out then also expires this
    // browser's cookie and keeps the filter from saving the session it holds
    sessions.clearSessionsForUser(user.getName());
    logout.logout(request, response, user);
    return ExampleHtml.seeOther("/login?logout");
  }
}

package app.getbodhi.session.spring.example;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.example.DeviceList;
import app.getbodhi.session.example.ExampleHtml;
import app.getbodhi.session.service.DefaultSessionService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Your devices": the user's live sessions, one row each, and a button that revokes one.
 *
 * <p>The store is sealed: it keeps no session id, only each session's {@linkplain SessionRef ref}
 * (a hash of the id). So the page lists refs, and marks this browser's row by comparing with the
 * ref of this request's own session id. A ref cannot be turned back into an id, so showing one
 * gives nothing away; revoking by ref is allowed only for the user's own sessions.
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
  private final SecurityContextLogoutHandler logout = new SecurityContextLogoutHandler();

  DevicesPage(DefaultSessionService sessions) {
    this.store = sessions.getSessionStore();
  }

  @GetMapping(value = "/devices", produces = ExampleHtml.TYPE)
  String devices(Authentication user, HttpSession session, CsrfToken csrf) {
    return ExamplePages.HTML.devices(
        user.getName(), devicesOf(user), refOf(session), ExamplePages.csrfField(csrf));
  }

  @PostMapping("/devices/revoke")
  ResponseEntity<String> revoke(
      @RequestParam("ref") String ref,
      Authentication user,
      HttpServletRequest request,
      HttpServletResponse response) {
    Optional<SessionRef> mine = DeviceList.own(devicesOf(user), ref);
    if (mine.isEmpty()) {
      return ExamplePages.HTML.noSuchDevice();
    }
    if (mine.equals(refOf(request.getSession(false)))) {
      logout.logout(request, response, user);
      return ExampleHtml.seeOther("/login?logout");
    }
    store.delete(mine.get());
    return ExampleHtml.seeOther("/devices");
  }

  private List<SessionSummary> devicesOf(Authentication user) {
    return DeviceList.oldestFirst(store.getSessionsForUser(user.getName()));
  }

  private Optional<SessionRef> refOf(HttpSession session) {
    return Optional.ofNullable(session).flatMap(s -> SessionId.parse(s.getId())).map(store::refOf);
  }
}

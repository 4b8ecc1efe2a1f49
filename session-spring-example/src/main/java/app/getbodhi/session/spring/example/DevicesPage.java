package app.getbodhi.session.spring.example;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.service.DefaultSessionService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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

  /** How many characters of a ref the page shows: enough to tell a user's sessions apart. */
  static final int SHORT_REF = 8;

  private final ManagedSessionStore store;
  private final SecurityContextLogoutHandler logout = new SecurityContextLogoutHandler();

  DevicesPage(DefaultSessionService sessions) {
    this.store = sessions.getSessionStore();
  }

  @GetMapping(value = "/devices", produces = Html.TYPE)
  String devices(Authentication user, HttpSession session, CsrfToken csrf) {
    Optional<SessionRef> current = refOf(session);
    List<SessionSummary> devices =
        store.getSessionsForUser(user.getName()).stream()
            .sorted(
                Comparator.comparing((SessionSummary s) -> s.createdAt().orElse(s.expiryDate())))
            .toList();
    StringBuilder rows = new StringBuilder();
    for (SessionSummary device : devices) {
      // a ref is base64url and needs no escaping; escaped all the same, as every value is
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
                  Html.time(device.createdAt()),
                  Html.time(device.lastAccessedAt()),
                  ref,
                  Html.csrfField(csrf),
                  ref,
                  self ? "Log out" : "Revoke"));
    }
    String body =
        """
        <p>Browsers logged in as <strong id="user">%s</strong>: <strong id="device-count">%d</strong>.
          Revoking one logs it out on its next request.</p>
        <table id="devices">
          <tr><th>Session</th><th>Logged in (UTC)</th><th>Last active (UTC)</th><th></th></tr>
        %s</table>
        <p class="hint">Last active: the session's last write; a session that is only read is
          written again once half of its timeout has passed.</p>
        <p><a id="home-link" href="/">Back</a></p>
        """
            .formatted(Html.text(user.getName()), devices.size(), rows);
    return Html.page("Your devices", body);
  }

  @PostMapping("/devices/revoke")
  ResponseEntity<String> revoke(
      @RequestParam("ref") String ref,
      Authentication user,
      HttpServletRequest request,
      HttpServletResponse response) {
    Optional<SessionRef> mine =
        store.getSessionsForUser(user.getName()).stream()
            .map(SessionSummary::ref)
            .filter(r -> r.value().equals(ref))
            .findFirst();
    if (mine.isEmpty()) {
      // the same answer for another user's session and for none: a ref reveals nothing here
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .contentType(MediaType.parseMediaType(Html.TYPE))
          .body(
              Html.page(
                  "No such device",
                  "<p id=\"not-found\">None of your sessions has that ref.</p>"
                      + "<p><a href=\"/devices\">Your devices</a></p>"));
    }
    if (mine.equals(refOf(request.getSession(false)))) {
      logout.logout(request, response, user);
      return ExamplePages.seeOther("/login?logout");
    }
    store.delete(mine.get());
    return ExamplePages.seeOther("/devices");
  }

  private Optional<SessionRef> refOf(HttpSession session) {
    return Optional.ofNullable(session).flatMap(s -> SessionId.parse(s.getId())).map(store::refOf);
  }
}

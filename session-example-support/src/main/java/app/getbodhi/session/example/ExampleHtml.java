package app.getbodhi.session.example;

import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * The example applications' pages: plain HTML, no script, every value escaped. Both applications
 * render the same login, home and devices pages; each gets the values (the user, the session's
 * counter, the CSRF field) its own way, blocking on Spring MVC, as a {@code Mono} on WebFlux, and
 * hands them to these methods.
 */
public final class ExampleHtml {

  /** The content type of every page. */
  public static final String TYPE = "text/html;charset=UTF-8";

  /** Pages without a script, styles inline, forms posting to this site only. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

  /** The session attribute of the visit counter. */
  public static final String VISITS = "visits";

  /**
   * How many characters of a ref the devices page shows: enough to tell a user's sessions apart.
   */
  public static final int SHORT_REF = 8;

  private final String heading;

  /**
   * The pages of one application.
   *
   * @param application its name in every page's title and heading, as text: {@code "Spring Boot"}
   */
  public ExampleHtml(String application) {
    this.heading = "bodhi-sessions " + application + " example";
  }

  /**
   * Escapes text for an element's content or a quoted attribute.
   *
   * @param text any text
   * @return the text with {@code < > & " '} escaped
   */
  public static String text(String text) {
    return HtmlUtils.htmlEscape(text, "UTF-8");
  }

  /**
   * The hidden field that carries the request's CSRF token in a form that posts.
   *
   * @param parameterName the token's form field
   * @param token the token
   * @return the field
   */
  public static String csrfField(String parameterName, String token) {
    return "<input type=\"hidden\" name=\"%s\" value=\"%s\">"
        .formatted(text(parameterName), text(token));
  }

  /**
   * A time to the second, in UTC, or {@code unknown} for a session stored before times were kept.
   *
   * @param time the time
   * @return the text
   */
  static String time(Optional<Instant> time) {
    return time.map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' '))
        .orElse("unknown");
  }

  /**
   * The visit counter after one more view of the home page.
   *
   * @param visits the session's {@link #VISITS} attribute, {@code null} before the first view
   * @return the count to show and to store
   */
  public static long nextVisit(Object visits) {
    return (visits instanceof Number number ? number.longValue() : 0L) + 1;
  }

  /**
   * A whole page.
   *
   * @param title the title, as text
   * @param body the body, as HTML
   * @return the page
   */
  public String page(String title, String body) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>%s · %s</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; }
          form.inline { display: inline-block; margin-right: .5rem; }
          table { border-collapse: collapse; }
          td, th { text-align: left; padding: .25rem .75rem .25rem 0; }
          .error { color: #b00020; }
          .hint { color: #666; }
        </style>
        </head>
        <body>
        <h1>%s</h1>
        %s
        </body>
        </html>
        """
        .formatted(text(title), text(heading), text(heading), body);
  }

  /**
   * The login page ({@code GET /login}; the form posts to Spring Security's {@code POST /login}).
   *
   * @param error whether the last login failed ({@code /login?error})
   * @param loggedOut whether the browser was just logged out ({@code /login?logout})
   * @param csrfField the request's {@linkplain #csrfField CSRF field}
   * @return the page
   */
  public String login(boolean error, boolean loggedOut, String csrfField) {
    String notice =
        error
            ? "<p class=\"error\" id=\"error\">Wrong user name or password.</p>"
            : loggedOut ? "<p id=\"logged-out\">You are logged out.</p>" : "";
    return page(
        "Log in",
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
                    csrfField,
                    text(String.join(", ", DemoUsers.NAMES)),
                    text(DemoUsers.DEFAULT_PASSWORD)));
  }

  /**
   * The home page ({@code GET /}): the user, the visit counter, the user's session count, the two
   * logout buttons and a link to the devices page.
   *
   * @param user the user's name
   * @param visits the session's visit counter, this view included
   * @param sessions how many sessions the user has
   * @param csrfField the request's {@linkplain #csrfField CSRF field}
   * @return the page
   */
  public String home(String user, long visits, int sessions, String csrfField) {
    return page(
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
            .formatted(text(user), visits, sessions, csrfField, csrfField));
  }

  /**
   * "Your devices" ({@code GET /devices}): the user's sessions, one row each, by ref (a hash of the
   * id, which cannot be turned back into one, so showing it gives nothing away), this browser's row
   * marked, each with a button that revokes it.
   *
   * @param user the user's name
   * @param devices the user's sessions, in page order ({@link DeviceList#oldestFirst})
   * @param current the ref of this request's own session, if it has one
   * @param csrfField the request's {@linkplain #csrfField CSRF field}
   * @return the page
   */
  public String devices(
      String user, List<SessionSummary> devices, Optional<SessionRef> current, String csrfField) {
    StringBuilder rows = new StringBuilder();
    for (SessionSummary device : devices) {
      // a ref is base64url and needs no escaping; escaped all the same, as every value is
      String ref = text(device.ref().value());
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
                  time(device.createdAt()),
                  time(device.lastAccessedAt()),
                  ref,
                  csrfField,
                  ref,
                  self ? "Log out" : "Revoke"));
    }
    return page(
        "Your devices",
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
            .formatted(text(user), devices.size(), rows));
  }

  /**
   * The answer to a revoke of a ref that is none of the user's sessions: a 404, the same whether
   * the ref is another user's session or no session at all, so it reveals nothing.
   *
   * @return the response
   */
  public ResponseEntity<String> noSuchDevice() {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .contentType(MediaType.parseMediaType(TYPE))
        .body(
            page(
                "No such device",
                "<p id=\"not-found\">None of your sessions has that ref.</p>"
                    + "<p><a href=\"/devices\">Your devices</a></p>"));
  }

  /**
   * A page as a 200 response.
   *
   * @param page the page
   * @return the response
   */
  public static ResponseEntity<String> ok(String page) {
    return ResponseEntity.ok().contentType(MediaType.parseMediaType(TYPE)).body(page);
  }

  /**
   * 303: the browser follows a POST's redirect with a GET, and a reload does not post again.
   *
   * @param location the path to send the browser to
   * @return the response
   */
  public static ResponseEntity<String> seeOther(String location) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(location)).build();
  }
}

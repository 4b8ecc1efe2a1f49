package app.getbodhi.session.cli;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.StoreHealth;
import app.getbodhi.session.service.SessionService;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's routes, written as any servlet application would be: sessions come from {@code
 * request.getSession()}, which {@link app.getbodhi.session.servlet.SessionManagerFilter} backs with
 * the store.
 *
 * <ul>
 *   <li>{@code GET /}: the login form, or the user, the visit counter (kept in the session and
 *       counted up on each view) and the user's session count, with the two logout buttons.
 *   <li>{@code POST /login}: form field {@code username}; rotates the session id, then stores the
 *       user, then redirects to {@code /}. A blank or over-long name, or one with a control or
 *       invisible formatting character, is a 400.
 *   <li>{@code POST /logout}: ends this session. {@code POST /logout-everywhere}: ends every
 *       session of this user, on every node that shares the store.
 *   <li>{@code GET /api/me}: {@code {"user": name or null, "visits": n, "sessions": n}}.
 *   <li>{@code GET /healthz}: the store's {@link StoreHealth} as {@code {"status": "up"|"down",
 *       "backend": name, "schemaVersion": v or null}}; 200 when up, 503 when down. Why it is down
 *       goes to the server's log, not to whoever asks.
 *   <li>{@code GET /metrics}: the registry's meters in the Prometheus text format.
 * </ul>
 */
final class DemoServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** The session key of the user; the store mirrors it into its indexed column. */
  static final String USER_KEY = SessionRecord.USER_ID_KEY;

  /** The session key of the visit counter. */
  static final String VISITS_KEY = "visits";

  /** The longest user name accepted, in characters (code points). */
  static final int MAX_USERNAME_LENGTH = 64;

  /** The form field of the login form. */
  static final String USERNAME_FIELD = "username";

  private static final String HTML = "text/html;charset=utf-8";
  private static final String JSON = "application/json;charset=utf-8";

  // inline style only; no script, no framing, forms post to this origin only
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

  private final transient ObjectMapper json = new ObjectMapper();

  /** What {@code GET /metrics} answers with: Prometheus' text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(DemoServlet.class);

  private final transient SessionService service;

  private final transient PrometheusMeterRegistry metrics;

  /** Whether the last health check found the store up; to log a change once, not every probe. */
  private final AtomicBoolean lastUp = new AtomicBoolean(true);

  DemoServlet(SessionService service, PrometheusMeterRegistry metrics) {
    this.service = Objects.requireNonNull(service, "service");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** What answers a path: the one method it takes (a GET route takes HEAD too) and its handler. */
  private record Route(String method, Handler handler) {}

  /** Answers one request on a route, its method already checked. */
  @FunctionalInterface
  private interface Handler {
    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
  }

  /** The demo's routes by path; any other path is a 404. */
  private final transient Map<String, Route> routes =
      Map.of(
          "/", new Route("GET", this::home),
          "/login", new Route("POST", this::login),
          "/logout", new Route("POST", this::logout),
          "/logout-everywhere", new Route("POST", this::logoutEverywhere),
          "/api/me", new Route("GET", this::me),
          "/healthz", new Route("GET", (request, response) -> health(response)),
          "/metrics", new Route("GET", (request, response) -> metrics(response)));

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
    Route route = routes.get(path);
    if (route == null) {
      page(response, HttpServletResponse.SC_NOT_FOUND, "Not found", notFoundBody());
    } else if (allow(request.getMethod(), route.method(), response)) {
      route.handler().handle(request, response);
    }
  }

  private static boolean allow(String method, String allowed, HttpServletResponse response)
      throws IOException {
    if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) {
      return true;
    }
    response.setHeader("Allow", allowed.equals("GET") ? "GET, HEAD" : allowed);
    page(
        response,
        HttpServletResponse.SC_METHOD_NOT_ALLOWED,
        "Method not allowed",
        "<p>Use " + allowed + " here.</p>" + backLink());
    return false;
  }

  private void home(HttpServletRequest request, HttpServletResponse response) throws IOException {
    HttpSession session = request.getSession(false);
    Optional<String> user = user(session);
    if (user.isEmpty()) {
      page(response, HttpServletResponse.SC_OK, "Log in", loginForm(""));
      return;
    }
    long visits = visits(session);
    if (request.getMethod().equals("GET")) {
      // a HEAD request is not a visit. Change the session before writing the body, so its
      // cookie can still be sent.
      visits++;
      session.setAttribute(VISITS_KEY, visits);
    }
    int sessions = service.countSessionsForUser(user.get());
    page(response, HttpServletResponse.SC_OK, "Welcome", homeBody(user.get(), visits, sessions));
  }

  private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
    request.setCharacterEncoding(StandardCharsets.UTF_8.name());
    String username = request.getParameter(USERNAME_FIELD);
    Optional<String> problem = usernameProblem(username);
    if (problem.isPresent()) {
      page(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          "Cannot log in",
          "<p class=\"error\" id=\"error\">" + Html.text(problem.get()) + "</p>" + loginForm(""));
      return;
    }
    String user = username.strip();
    HttpSession session = request.getSession(true);
    Optional<String> previous = user(session);
    // a new id before the session gains a user: an id planted before login is worth nothing
    request.changeSessionId();
    if (previous.isPresent() && !previous.get().equals(user)) {
      // another user's counter is not this user's
      session.removeAttribute(VISITS_KEY);
    }
    session.setAttribute(USER_KEY, user);
    seeOther(response);
  }

  /**
   * Checks a user name from the login form.
   *
   * @param username the field's value; may be {@code null}
   * @return what is wrong with it, or empty when it is acceptable
   */
  static Optional<String> usernameProblem(String username) {
    String stripped = username == null ? "" : username.strip();
    if (stripped.isEmpty()) {
      return Optional.of("Enter a user name.");
    }
    if (stripped.codePointCount(0, stripped.length()) > MAX_USERNAME_LENGTH) {
      return Optional.of(
          "The user name is too long: at most " + MAX_USERNAME_LENGTH + " characters.");
    }
    if (stripped.codePoints().anyMatch(Character::isISOControl)) {
      // names end up in admin listings printed on terminals
      return Optional.of("The user name must not contain control characters.");
    }
    if (stripped.codePoints().anyMatch(DemoServlet::isHiddenOrControl)) {
      // U+202E turns the rest of a line around, U+200B and U+3164 hide in plain sight: a name
      // shown in a listing must read as what it is
      return Optional.of(
          "The user name must not contain invisible or formatting characters (such as U+202E,"
              + " U+200B or the Hangul filler U+3164), spaces other than the plain one, or line"
              + " separators.");
    }
    return Optional.empty();
  }

  /**
   * Tells a character that is not shown as itself: a control character, a Unicode format character
   * (category Cf, such as the right-to-left override U+202E or the zero-width space U+200B), a line
   * or paragraph separator (U+2028, U+2029), a space other than U+0020, a character that is not
   * assigned or is for private use, or a default-ignorable code point, which fonts draw as nothing
   * (such as the Hangul fillers U+3164, U+115F, U+1160 and U+FFA0, which are letters, and the
   * variation selectors).
   *
   * @param codePoint the character
   * @return whether it must not appear in a name or a log line
   */
  static boolean isHiddenOrControl(int codePoint) {
    int type = Character.getType(codePoint);
    return Character.isISOControl(codePoint)
        || Character.isIdentifierIgnorable(codePoint)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || (type == Character.SPACE_SEPARATOR && codePoint != ' ')
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE
        || isDefaultIgnorable(codePoint)
        || codePoint == BRAILLE_BLANK;
  }

  /** U+2800, a Braille cell with no dots: a symbol that shows as a blank. */
  private static final int BRAILLE_BLANK = 0x2800;

  /**
   * Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt), which the JDK has no
   * query for; the ones of category Cf are caught by category as well.
   */
  private static final int[][] DEFAULT_IGNORABLE = {
    {0x00AD, 0x00AD},
    {0x034F, 0x034F},
    {0x061C, 0x061C},
    {0x115F, 0x1160},
    {0x17B4, 0x17B5},
    {0x180B, 0x180F},
    {0x200B, 0x200F},
    {0x202A, 0x202E},
    {0x2060, 0x206F},
    {0x3164, 0x3164},
    {0xFE00, 0xFE0F},
    {0xFEFF, 0xFEFF},
    {0xFFA0, 0xFFA0},
    {0xFFF0, 0xFFF8},
    {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A},
    {0xE0000, 0xE0FFF}
  };

  private static boolean isDefaultIgnorable(int codePoint) {
    for (int[] range : DEFAULT_IGNORABLE) {
      if (codePoint >= range[0] && codePoint <= range[1]) {
        return true;
      }
    }
    return false;
  }

  private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    seeOther(response);
  }

  private void logoutEverywhere(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    HttpSession session = request.getSession(false);
    Optional<String> user = user(session);
    if (user.isPresent()) {
      service.clearSessionsForUser(user.get());
      // the row is gone already; invalidating also expires this browser's cookie, and keeps the
      // filter from writing this session back (as it may to extend an old session's expiry)
      session.invalidate();
    }
    seeOther(response);
  }

  private void me(HttpServletRequest request, HttpServletResponse response) throws IOException {
    HttpSession session = request.getSession(false);
    Optional<String> user = user(session);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", user.orElse(null));
    body.put(VISITS_KEY, user.isPresent() ? visits(session) : 0L);
    body.put("sessions", user.map(service::countSessionsForUser).orElse(0));
    send(response, HttpServletResponse.SC_OK, JSON, json.writeValueAsString(body));
  }

  private void health(HttpServletResponse response) throws IOException {
    StoreHealth health = service.getSessionStore().health();
    if (lastUp.getAndSet(health.up()) != health.up()) {
      if (health.up()) {
        LOG.info("The {} session store is up again.", health.backend());
      } else {
        LOG.warn("The session store is down: {}", health.problem().orElse("no reason given"));
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", health.up() ? "up" : "down");
    body.put("backend", health.backend());
    body.put("schemaVersion", health.schemaVersion().orElse(null));
    send(
        response,
        health.up() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE,
        JSON,
        json.writeValueAsString(body));
  }

  private void metrics(HttpServletResponse response) throws IOException {
    send(response, HttpServletResponse.SC_OK, PROMETHEUS_TEXT, metrics.scrape());
  }

  private static Optional<String> user(HttpSession session) {
    return session != null && session.getAttribute(USER_KEY) instanceof String user
        ? Optional.of(user)
        : Optional.empty();
  }

  private static long visits(HttpSession session) {
    return session.getAttribute(VISITS_KEY) instanceof Number visits ? visits.longValue() : 0L;
  }

  private static void seeOther(HttpServletResponse response) {
    // 303: the browser follows a POST's redirect with a GET, and a reload does not re-post
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", "/");
  }

  private static String loginForm(String username) {
    return """
        <form method="post" action="/login">
          <label for="username">User name</label>
          <input id="username" name="%s" value="%s" maxlength="%d" autofocus required>
          <button id="login" type="submit">Log in</button>
        </form>
        <p class="hint">Any name will do: this is a demo.</p>
        """
        .formatted(USERNAME_FIELD, Html.text(username), MAX_USERNAME_LENGTH);
  }

  private static String homeBody(String user, long visits, int sessions) {
    return """
        <p>Logged in as <strong id="user">%s</strong>.</p>
        <p>Visits in this session: <strong id="visits">%d</strong></p>
        <p>Your sessions (browsers logged in as you): <strong id="sessions">%d</strong></p>
        <form method="post" action="/logout">
          <button id="logout" type="submit">Log out</button>
        </form>
        <form method="post" action="/logout-everywhere">
          <button id="logout-everywhere" type="submit">Log out everywhere</button>
        </form>
        """
        .formatted(Html.text(user), visits, sessions);
  }

  private static String notFoundBody() {
    return "<p>There is no such page.</p>" + backLink();
  }

  private static String backLink() {
    return "<p><a href=\"/\">Back to the demo</a></p>";
  }

  /**
   * Writes a page of the demo.
   *
   * @param response where to
   * @param status the status
   * @param title plain text, escaped here
   * @param body HTML, whose user-given parts the caller has escaped
   * @throws IOException when the response cannot be written
   */
  static void page(HttpServletResponse response, int status, String title, String body)
      throws IOException {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    send(
        response,
        status,
        HTML,
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>%s · bodhi-sessions demo</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; }
          form { display: inline-block; margin-right: .5rem; }
          .error { color: #b00020; }
          .hint { color: #666; }
        </style>
        </head>
        <body>
        <h1>bodhi-sessions demo</h1>
        %s
        </body>
        </html>
        """
            .formatted(Html.text(title), body));
  }

  /**
   * Writes a response that no cache keeps and whose type a browser takes as given.
   *
   * @throws IOException when the response cannot be written
   */
  private static void send(
      HttpServletResponse response, int status, String contentType, String body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.getWriter().write(body);
  }
}

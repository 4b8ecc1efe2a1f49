package app.getbodhi.session.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser over real HTTP: its own cookie jar, redirects not followed (so a test sees where it
 * is sent), forms posted with the CSRF token of the page they came from, as a browser posts them.
 * {@link #at} points the same browser (the same cookies) at another node.
 */
final class HttpBrowser {

  /** Spring Session's cookie. */
  static final String COOKIE = "SESSION";

  private static final Pattern CSRF =
      Pattern.compile("<input type=\"hidden\" name=\"_csrf\" value=\"([^\"]+)\">");
  private static final Pattern REVOKE_REF =
      Pattern.compile("<input type=\"hidden\" name=\"ref\" value=\"([^\"]+)\">");

  private final CookieManager cookies;
  private final HttpClient client;
  private final URI base;

  HttpBrowser(URI base) {
    this(base, new CookieManager());
  }

  private HttpBrowser(URI base, CookieManager cookies) {
    this.base = base;
    this.cookies = cookies;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  static HttpBrowser on(int port) {
    return new HttpBrowser(URI.create("http://127.0.0.1:" + port));
  }

  /**
   * The same browser, cookies and all, sending its requests to another server: a load balancer that
   * moves it to another node. Both nodes are 127.0.0.1, so the one jar serves both.
   */
  HttpBrowser at(int port) {
    return new HttpBrowser(URI.create("http://127.0.0.1:" + port), cookies);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** Posts a form with the fields given and no CSRF token. */
  HttpResponse<String> postWithoutToken(String path, Map<String, String> fields) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
  }

  /** Posts a form of a page: the page's CSRF token goes with the fields, as a browser sends it. */
  HttpResponse<String> submit(String page, String action, Map<String, String> fields) {
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put("_csrf", csrfToken(page));
    return postWithoutToken(action, all);
  }

  /** Logs in through the login form: GET /login for the token, then the form's POST. */
  HttpResponse<String> logIn(String user, String password) {
    HttpResponse<String> form = get("/login");
    assertThat(form.statusCode()).as("the login page").isEqualTo(200);
    return submit(form.body(), "/login", Map.of("username", user, "password", password));
  }

  /** Logs in and checks that it worked: sent home, not back to the form. */
  HttpBrowser logInOk(String user) {
    HttpResponse<String> response = logIn(user, ExampleProperties.DEFAULT_PASSWORD);
    assertThat(response.statusCode()).as("login of " + user).isEqualTo(302);
    assertThat(location(response)).isEqualTo("/");
    return this;
  }

  /** The home page, which counts a visit; fails unless logged in. */
  String home() {
    HttpResponse<String> response = get("/");
    assertThat(response.statusCode()).as("the home page, logged in").isEqualTo(200);
    return response.body();
  }

  /** Whether a request for the home page is sent to the login form. */
  boolean isSentToLogin() {
    HttpResponse<String> response = get("/");
    return response.statusCode() == 302 && location(response).endsWith("/login");
  }

  /** Posts a form of the home page: {@code /logout} or {@code /logout-everywhere}. */
  HttpResponse<String> postFromHome(String action) {
    return submit(home(), action, Map.of());
  }

  /** The session id this browser's cookie carries, if it has one. */
  Optional<String> sessionId() {
    return cookies.getCookieStore().get(base).stream()
        .filter(c -> c.getName().equals(COOKIE))
        .map(HttpCookie::getValue)
        // Spring Session's cookie holds the id in base64
        .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII))
        .findFirst();
  }

  static String location(HttpResponse<String> response) {
    String location = response.headers().firstValue("Location").orElse("");
    // Spring Security's redirects are absolute; keep the path and query only
    URI uri = URI.create(location);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** The text of the element with this id, in a page. */
  static String text(String page, String id) {
    Matcher matcher =
        Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(page);
    assertThat(matcher.find()).as("an element #" + id + " in the page").isTrue();
    return matcher.group(1);
  }

  /** The refs of the revoke forms in a devices page, in page order. */
  static List<String> revokeRefs(String page) {
    List<String> refs = new ArrayList<>();
    Matcher matcher = REVOKE_REF.matcher(page);
    while (matcher.find()) {
      refs.add(matcher.group(1));
    }
    return refs;
  }

  static String csrfToken(String page) {
    Matcher matcher = CSRF.matcher(page);
    assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
    return matcher.group(1);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("The request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private static String form(Map<String, String> fields) {
    StringBuilder body = new StringBuilder();
    fields.forEach(
        (name, value) -> {
          if (body.length() > 0) {
            body.append('&');
          }
          body.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
    return body.toString();
  }
}

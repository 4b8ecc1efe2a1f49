package app.getbodhi.session.webflux.example;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser over real HTTP against the WebFlux example: its own cookies, redirects not followed
 * (a test sees where it is sent), forms posted with the token of the page they came from. {@link
 * #at} points the same browser at another node.
 */
final class Browser {

  /** WebFlux's session cookie, holding the session id as it is. */
  static final String COOKIE = "SESSION";

  private static final Pattern CSRF =
      Pattern.compile("<input type=\"hidden\" name=\"_csrf\" value=\"([^\"]+)\">");

  private final CookieManager cookies;
  private final HttpClient client;
  private final URI base;

  private Browser(URI base, CookieManager cookies) {
    this.base = base;
    this.cookies = cookies;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  static Browser on(int port) {
    return new Browser(URI.create("http://127.0.0.1:" + port), new CookieManager());
  }

  /** The same browser, cookies and all, sent to another node on this machine. */
  Browser at(int port) {
    return new Browser(URI.create("http://127.0.0.1:" + port), cookies);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** Posts a form with these fields only: no CSRF token unless among them. */
  HttpResponse<String> post(String path, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Posts a form of a page, with that page's CSRF token. */
  HttpResponse<String> submit(String page, String action, Map<String, String> fields) {
    Matcher token = CSRF.matcher(page);
    assertThat(token.find()).as("a CSRF field in the page").isTrue();
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put("_csrf", token.group(1));
    return post(action, all);
  }

  /** Logs in through the form and checks it worked: sent home, not back to the form. */
  Browser logIn(String user) {
    HttpResponse<String> form = get("/login");
    assertThat(form.statusCode()).as("the login page").isEqualTo(200);
    HttpResponse<String> response =
        submit(
            form.body(),
            "/login",
            Map.of("username", user, "password", ExampleProperties.DEFAULT_PASSWORD));
    assertThat(location(response)).as("login of " + user).isEqualTo("/");
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
    return response.statusCode() == 302 && location(response).equals("/login");
  }

  /** The session id this browser's cookie carries, if any. */
  Optional<String> sessionId() {
    return cookies.getCookieStore().get(base).stream()
        .filter(c -> c.getName().equals(COOKIE))
        .map(HttpCookie::getValue)
        .findFirst();
  }

  static String location(HttpResponse<String> response) {
    URI uri = URI.create(response.headers().firstValue("Location").orElse(""));
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** The text of the element with this id, in a page. */
  static String text(String page, String id) {
    Matcher matcher =
        Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(page);
    assertThat(matcher.find()).as("an element #" + id + " in the page").isTrue();
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
}

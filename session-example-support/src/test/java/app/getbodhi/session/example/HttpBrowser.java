package app.getbodhi.session.example;

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
import java.util.stream.Collectors;
import org.springframework.context.ApplicationContext;
import org.springframework.web.context.WebApplicationContext;

/**
 * One browser over real HTTP against either example: its own cookie jar, redirects not followed (so
 * a test sees where it is sent), forms posted with the CSRF token of the page they came from, as a
 * browser posts them. {@link #at} points the same browser (the same cookies) at another node.
 */
public final class HttpBrowser {

  /** The session cookie of both stacks: Spring Session's filter's, and WebFlux's. */
  public static final String COOKIE = "SESSION";

  private static final Pattern CSRF =
      Pattern.compile("<input type=\"hidden\" name=\"_csrf\" value=\"([^\"]+)\">");
  private static final Pattern REVOKE_REF =
      Pattern.compile("<input type=\"hidden\" name=\"ref\" value=\"([^\"]+)\">");

  private final Cookies cookies;
  private final HttpClient client;
  private final URI base;

  /**
   * A browser's cookies, which go with it to another node, and how the site's session cookie holds
   * the session id.
   */
  private record Cookies(CookieManager jar, SessionCookie session) {}

  private HttpBrowser(URI base, Cookies cookies) {
    this.base = base;
    this.cookies = cookies;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies.jar())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * A new browser, with no cookie yet, for a running example.
   *
   * @param application the example's context, started on a port
   * @return the browser
   */
  public static HttpBrowser on(ApplicationContext application) {
    int port = application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return new HttpBrowser(
        localhost(port), new Cookies(new CookieManager(), SessionCookie.of(application)));
  }

  /**
   * The same browser, cookies and all, sending its requests to another node: a load balancer that
   * moves it. Both nodes are 127.0.0.1, so the one jar serves both.
   *
   * @param port the other node's port
   * @return the browser there
   */
  public HttpBrowser at(int port) {
    return new HttpBrowser(localhost(port), cookies);
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** Posts a form with these fields only: no CSRF token unless among them. */
  public HttpResponse<String> postWithoutToken(String path, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(
                field ->
                    URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Posts a form of a page: the page's CSRF token goes with the fields, as a browser sends it. */
  public HttpResponse<String> submit(String page, String action, Map<String, String> fields) {
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put("_csrf", csrfToken(page));
    return postWithoutToken(action, all);
  }

  /** Logs in through the login form: GET /login for the token, then the form's POST. */
  public HttpResponse<String> logIn(String user, String password) {
    HttpResponse<String> form = get("/login");
    assertThat(form.statusCode()).as("the login page").isEqualTo(200);
    return submit(form.body(), "/login", Map.of("username", user, "password", password));
  }

  /** Logs in with the demo password and checks that it worked: sent home, not back to the form. */
  public HttpBrowser logInOk(String user) {
    HttpResponse<String> response = logIn(user, DemoUsers.DEFAULT_PASSWORD);
    assertThat(response.statusCode()).as("login of " + user).isEqualTo(302);
    assertThat(location(response)).as("login of " + user).isEqualTo("/");
    return this;
  }

  /** The home page, which counts a visit; fails unless logged in. */
  public String home() {
    HttpResponse<String> response = get("/");
    assertThat(response.statusCode()).as("the home page, logged in").isEqualTo(200);
    return response.body();
  }

  /** Whether a request for the home page is sent to the login form. */
  public boolean isSentToLogin() {
    HttpResponse<String> response = get("/");
    return response.statusCode() == 302 && location(response).equals("/login");
  }

  /** Checks that this browser is logged in: its home page names the user. */
  public void assertLoggedInAs(String user) {
    assertThat(text(home(), "user")).as("the user on the home page").isEqualTo(user);
  }

  /** Posts a form of the home page: {@code /logout} or {@code /logout-everywhere}. */
  public HttpResponse<String> postFromHome(String action) {
    return submit(home(), action, Map.of());
  }

  /** The session id this browser's cookie carries, if it has one. */
  public Optional<String> sessionId() {
    return cookies.jar().getCookieStore().get(base).stream()
        .filter(c -> c.getName().equals(COOKIE))
        .map(HttpCookie::getValue)
        .map(cookies.session()::sessionId)
        .findFirst();
  }

  /** Where a redirect sends the browser: the path and query only, as either stack writes it. */
  public static String location(HttpResponse<String> response) {
    // Spring Security's servlet redirects are absolute; keep the path and query only
    URI uri = URI.create(response.headers().firstValue("Location").orElse(""));
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** The text of the element with this id, in a page. */
  public static String text(String page, String id) {
    Matcher matcher =
        Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(page);
    assertThat(matcher.find()).as("an element #" + id + " in the page").isTrue();
    return matcher.group(1);
  }

  /** The refs of the revoke forms in a devices page, in page order. */
  public static List<String> revokeRefs(String page) {
    List<String> refs = new ArrayList<>();
    Matcher matcher = REVOKE_REF.matcher(page);
    while (matcher.find()) {
      refs.add(matcher.group(1));
    }
    return refs;
  }

  /** The CSRF token of a page's forms. */
  public static String csrfToken(String page) {
    Matcher matcher = CSRF.matcher(page);
    assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
    return matcher.group(1);
  }

  private static URI localhost(int port) {
    return URI.create("http://127.0.0.1:" + port);
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

  /** How a stack writes the session id into {@link #COOKIE}. */
  public enum SessionCookie {
    /** Spring Session's servlet filter: the id in base64. */
    BASE64 {
      @Override
      public String sessionId(String value) {
        return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
      }
    },
    /** WebFlux's session id resolver: the id as it is. */
    AS_IS {
      @Override
      public String sessionId(String value) {
        return value;
      }
    };

    /**
     * The session id in a cookie's value.
     *
     * @param value the cookie's value
     * @return the id
     */
    public abstract String sessionId(String value);

    /**
     * The cookie of an example: a Spring MVC application's context is a servlet {@link
     * WebApplicationContext}, a WebFlux application's is not.
     *
     * @param application the running example
     * @return how its cookie holds the id
     */
    public static SessionCookie of(ApplicationContext application) {
      return application instanceof WebApplicationContext ? BASE64 : AS_IS;
    }
  }
}

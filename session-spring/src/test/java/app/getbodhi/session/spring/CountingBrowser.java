package app.getbodhi.session.spring;

import app.getbodhi.session.tck.CountingDataSource;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A browser for the tests over real HTTP on loopback, servlet and WebFlux alike: it keeps its
 * cookies, follows no redirect, and answers each request with the statements it cost on a counted
 * store. The application under test names its session cookie {@link #COOKIE} and knows the user
 * {@code alice} (password {@code secret}).
 */
final class CountingBrowser {

  /** The session cookie's name, as the HTTP tests set it in Boot's properties. */
  static final String COOKIE = "MYSESSION";

  /** How long a connection or a request may take before the test fails. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final int port;
  private final CountingDataSource counted;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient client =
      HttpClient.newBuilder()
          .cookieHandler(cookies)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(TIMEOUT)
          .build();

  /**
   * A browser with no cookie yet.
   *
   * @param port the application's port on 127.0.0.1
   * @param counted the store's data source, whose statements each request is charged with
   */
  CountingBrowser(int port, CountingDataSource counted) {
    this.port = port;
    this.counted = counted;
  }

  /** A response and the statements (their verbs) the request cost. */
  record Counted(HttpResponse<String> response, List<String> verbs) {
    String body() {
      return response.body();
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Sends a request with this browser's cookies and returns it with the statements it cost. */
  Counted send(HttpRequest.Builder request) throws IOException, InterruptedException {
    counted.reset();
    HttpResponse<String> response =
        client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    return new Counted(response, counted.verbs());
  }

  Counted get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)));
  }

  /** Posts the login form as {@code alice}. */
  Counted logIn() throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=secret")));
  }

  /** The value of the session cookie this browser holds. */
  String sessionCookie() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(COOKIE))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElseThrow();
  }

  /** The names of the cookies this browser holds. */
  List<String> cookieNames() {
    return cookies.getCookieStore().getCookies().stream().map(HttpCookie::getName).toList();
  }
}

package app.getbodhi.session.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One browser, as far as the session cookie goes: it keeps the cookie the server sets, sends it
 * back, and drops it when the server expires it. Redirects are not followed, so tests see them.
 */
final class WebClient {

  static final String COOKIE = "bodhiapp_session_id";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(TIMEOUT)
          .build();
  private final URI base;
  private String cookie;

  WebClient(URI base) {
    this.base = base;
  }

  HttpResponse<String> get(String path) {
    return exchange(request(path).GET());
  }

  HttpResponse<String> post(String path) {
    return exchange(request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  HttpResponse<String> postForm(String path, String field, String value) {
    String body =
        URLEncoder.encode(field, StandardCharsets.UTF_8)
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8);
    return exchange(
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> login(String user) {
    return postForm("/login", DemoServlet.USERNAME_FIELD, user);
  }

  /** The session cookie this client holds, if any. */
  Optional<String> cookie() {
    return Optional.ofNullable(cookie);
  }

  /** Replaces the cookie, as a client that forged or stole one would. */
  void useCookie(String value) {
    cookie = value;
  }

  /** The {@code Set-Cookie} headers for the session cookie in a response. */
  static List<String> sessionCookies(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(header -> header.startsWith(COOKIE + "="))
        .toList();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    if (cookie != null) {
      builder.header("Cookie", COOKIE + "=" + cookie);
    }
    return builder;
  }

  /** Sends a request built by the caller, with this client's cookie. */
  HttpResponse<String> send(HttpRequest.Builder builder) {
    if (cookie != null) {
      builder.setHeader("Cookie", COOKIE + "=" + cookie);
    }
    return exchange(builder);
  }

  private HttpResponse<String> exchange(HttpRequest.Builder builder) {
    HttpResponse<String> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    for (String header : sessionCookies(response)) {
      String value = header.substring(COOKIE.length() + 1, header.indexOf(';'));
      cookie = header.contains("Max-Age=0") || value.isEmpty() ? null : value;
    }
    return response;
  }
}

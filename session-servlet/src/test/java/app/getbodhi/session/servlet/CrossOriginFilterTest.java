package app.getbodhi.session.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.CountingDataSource;
import app.getbodhi.session.tests.servlet.FilterServer;
import app.getbodhi.session.tests.servlet.SetCookie;
import app.getbodhi.session.tests.servlet.TestServlets.ScriptServlet;
import app.getbodhi.session.web.CrossOriginProtection;
import app.getbodhi.session.web.SessionManagerLayer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The filter applies the layer's {@link CrossOriginProtection} over real HTTP on Jetty, before the
 * session is touched: a refused request gets 403, runs no statement and never reaches the servlet.
 * The statements are counted on the store's data source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossOriginFilterTest {

  private static final String TRUSTED = "https://sso.example.com";
  private static final String COOKIE = SessionManagerLayer.DEFAULT_COOKIE_NAME;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private SqliteFixture database;
  private CountingDataSource counted;
  private SqliteSessionStore store;
  private FilterServer protectedServer;
  private FilterServer openServer;

  @BeforeAll
  void start() {
    database = SqliteFixture.tempFile();
    counted = new CountingDataSource(database.dataSource());
    store = new SqliteSessionStore(counted);
    store.migrate();
    SessionManagerLayer layer =
        SessionManagerLayer.builder(store)
            .crossOriginProtection(CrossOriginProtection.enabled().withTrustedOrigin(TRUSTED))
            .build();
    protectedServer =
        FilterServer.start(new SessionManagerFilter(layer), Map.of("/script", new ScriptServlet()));
    openServer =
        FilterServer.start(
            new SessionManagerFilter(SessionManagerLayer.of(store)),
            Map.of("/script", new ScriptServlet()));
  }

  @AfterAll
  void stop() {
    protectedServer.close();
    openServer.close();
    database.close();
  }

  @BeforeEach
  void forgetStatements() {
    counted.reset();
  }

  private HttpResponse<String> send(
      FilterServer server, String method, String secFetchSite, String origin, String cookie) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri("/script?do=set:k:v&do=get:k"))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (secFetchSite != null) {
      request.header("Sec-Fetch-Site", secFetchSite);
    }
    if (origin != null) {
      request.header("Origin", origin.replace("SELF", "http://127.0.0.1:" + server.port()));
    }
    if (cookie != null) {
      request.header("Cookie", COOKIE + "=" + cookie);
    }
    return exchange(request.build());
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("POST", "cross-site", "https://evil.example"),
        Arguments.of("POST", "same-site", "http://127.0.0.1:1"),
        Arguments.of("PUT", "cross-site", null),
        Arguments.of("DELETE", "cross-site", "https://evil.example"),
        Arguments.of("POST", null, "https://evil.example"),
        Arguments.of("POST", null, "null"));
  }

  @ParameterizedTest(name = "{0} Sec-Fetch-Site={1} Origin={2}")
  @MethodSource("refused")
  void aRefusedRequestGets403AndNeverReachesTheStoreOrTheServlet(
      String method, String secFetchSite, String origin) {
    HttpResponse<String> response = send(protectedServer, method, secFetchSite, origin, null);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("cross-origin").doesNotContain("k=v");
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(counted.connections()).isZero();
    assertThat(counted.statements()).isEmpty();
  }

  @Test
  void aRefusedRequestWithASessionCookieLeavesTheSessionAsItWas() {
    HttpResponse<String> first = send(protectedServer, "POST", "same-origin", null, null);
    String id = SetCookie.parse(first.headers().firstValue("Set-Cookie").orElseThrow()).value();
    counted.reset();

    HttpResponse<String> forged = sendScript(protectedServer, "do=set:k:forged", "cross-site", id);

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(counted.statements()).isEmpty();
    assertThat(sendScript(protectedServer, "do=get:k", "same-origin", id).body()).contains("k=v");
  }

  private HttpResponse<String> sendScript(
      FilterServer server, String query, String secFetchSite, String cookie) {
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/script?" + query))
            .timeout(Duration.ofSeconds(10))
            .header("Sec-Fetch-Site", secFetchSite)
            .header("Cookie", COOKIE + "=" + cookie)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return exchange(request);
  }

  /** Sends one request on the test's client; a failure to send fails the test. */
  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> allowed() {
    return Stream.of(
        Arguments.of("POST", "same-origin", null),
        Arguments.of("POST", "none", null),
        Arguments.of("POST", null, "SELF"),
        Arguments.of("POST", null, null),
        Arguments.of("POST", "cross-site", TRUSTED),
        Arguments.of("GET", "cross-site", "https://evil.example"));
  }

  @ParameterizedTest(name = "{0} Sec-Fetch-Site={1} Origin={2}")
  @MethodSource("allowed")
  void anAllowedRequestReachesTheServletAndItsSession(
      String method, String secFetchSite, String origin) {
    HttpResponse<String> response = send(protectedServer, method, secFetchSite, origin, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("k=v");
    assertThat(response.headers().allValues("Set-Cookie")).isNotEmpty();
    assertThat(counted.verbs()).contains("INSERT");
  }

  @Test
  void withoutProtectionOnTheLayerACrossSitePostIsServedAsBefore() {
    HttpResponse<String> response =
        send(openServer, "POST", "cross-site", "https://evil.example", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("k=v");
  }
}

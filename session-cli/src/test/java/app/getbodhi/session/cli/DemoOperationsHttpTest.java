package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the demo offers an operator and how it defends its visitors, over real HTTP on a random port
 * with sessions in a SQLite file: {@code /healthz}, {@code /metrics}, the refusal of cross-origin
 * form posts, and user names that hide what they are.
 */
class DemoOperationsHttpTest extends DemoHttpTestBase {

  private static final String EVIL = "https://evil.example";

  private HttpResponse<String> postFrom(
      WebClient client, String path, String secFetchSite, String origin, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(demo.address().resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (secFetchSite != null) {
      request.header("Sec-Fetch-Site", secFetchSite);
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    return client.send(request);
  }

  private String self() {
    URI address = demo.address();
    return "http://" + address.getHost() + ":" + address.getPort();
  }

  @Nested
  class Health {

    @Test
    void saysUpWithTheBackendAndTheSchemaVersion() throws Exception {
      HttpResponse<String> response = browser.get("/healthz");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
      assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
      JsonNode health = new ObjectMapper().readTree(response.body());
      assertThat(health.get("status").asText()).isEqualTo("up");
      assertThat(health.get("backend").asText()).isEqualTo("sqlite");
      assertThat(health.get("schemaVersion").asText()).matches("[1-9][0-9]*");
    }

    @Test
    void saysDownWith503WhenTheStoreIsGoneAndKeepsTheReasonToTheLog() throws Exception {
      demo.service().close();

      HttpResponse<String> response = browser.get("/healthz");

      assertThat(response.statusCode()).isEqualTo(503);
      JsonNode health = new ObjectMapper().readTree(response.body());
      assertThat(health.get("status").asText()).isEqualTo("down");
      assertThat(health.get("backend").asText()).isEqualTo("sqlite");
      assertThat(health.get("schemaVersion").isNull()).isTrue();
      assertThat(response.body()).doesNotContain("closed", "Hikari", "sqlite:");
    }
  }

  @Nested
  class Metrics {

    @Test
    void servesTheStoreTimersAndThePoolInPrometheusTextWithoutIdsOrNames() {
      String user = "metrics-visitor-4711";
      browser.login(user);
      browser.get("/");
      String cookie = browser.cookie().orElseThrow();
      demo.service().getSessionStore().deleteExpired();

      HttpResponse<String> response = browser.get("/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains(DemoServlet.PROMETHEUS_TEXT);
      assertThat(response.body().lines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("bodhi_sessions_store_operations_seconds_count{")
                      .contains(
                          "backend=\"sqlite\"", "operation=\"create\"", "outcome=\"success\""))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("bodhi_sessions_store_operations_seconds_count{")
                      .contains("operation=\"load\""))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("hikaricp_connections_max{")
                      .contains("pool=\"bodhi-sessions-sqlite\""))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("bodhi_sessions_cleanup_rounds_total{")
                      .contains("outcome=\"success\"")
                      .endsWith(" 1.0"))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("bodhi_sessions_cleanup_deleted_total{")
                      .endsWith(" 0.0"));
      assertThat(response.body()).doesNotContain(cookie, user);
    }
  }

  @Nested
  class CrossOrigin {

    @Test
    void anotherSiteCannotLogAVisitorIn() {
      HttpResponse<String> response =
          postFrom(browser, "/login", "cross-site", EVIL, "username=attacker");

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(WebClient.sessionCookies(response)).isEmpty();
      assertThat(demo.service().getSessionStore().streamAllSessions(1000).toList()).isEmpty();
    }

    @Test
    void aSiblingSiteOrAnOldBrowserOnAnotherOriginIsRefusedToo() {
      assertThat(
              postFrom(browser, "/login", "same-site", "http://127.0.0.1:1", "username=x")
                  .statusCode())
          .isEqualTo(403);
      assertThat(postFrom(browser, "/login", null, EVIL, "username=x").statusCode()).isEqualTo(403);
      assertThat(demo.service().getSessionStore().streamAllSessions(1000).toList()).isEmpty();
    }

    @Test
    void anotherSiteCannotLogAVisitorOutOfEitherButton() {
      browser.login("alice");

      assertThat(postFrom(browser, "/logout", "cross-site", EVIL, "").statusCode()).isEqualTo(403);
      assertThat(postFrom(browser, "/logout-everywhere", "cross-site", EVIL, "").statusCode())
          .isEqualTo(403);

      assertThat(browser.get("/").body()).contains("<strong id=\"user\">alice</strong>");
      assertThat(demo.service().countSessionsForUser("alice")).isEqualTo(1);
    }

    @Test
    void theDemosOwnFormsStillWork() {
      HttpResponse<String> login =
          postFrom(browser, "/login", "same-origin", self(), "username=alice");
      assertThat(login.statusCode()).isEqualTo(303);
      assertThat(postFrom(browser, "/logout", null, self(), "").statusCode()).isEqualTo(303);
      assertThat(browser.cookie()).isEmpty();
    }
  }

  @Nested
  class UserNames {

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(
        strings = {
          "202E",
          "200B",
          "2028",
          "2029",
          "FEFF",
          "2066",
          "00AD",
          // Hangul fillers: letters, not format characters, that fonts draw as nothing
          "3164",
          "115F",
          "1160",
          "FFA0",
          // a variation selector, a tag character, a combining grapheme joiner, a Mongolian
          // vowel separator, a no-break space, an ideographic space, a blank Braille cell
          "FE0F",
          "E0041",
          "034F",
          "180E",
          "00A0",
          "3000",
          "2800"
        })
    void refusesANameWithAnInvisibleOrFormattingCharacterWith400(String hex) {
      String name = "ad" + Character.toString(Integer.parseInt(hex, 16)) + "min";

      assertLoginRefused(name, "invisible or formatting characters");
    }

    @Test
    void stillAcceptsNamesInOtherScripts() {
      assertThat(browser.login("Ødegård 名前 عربي").statusCode()).isEqualTo(303);
      // Hangul syllables and jamo that are drawn, next to the fillers that are not
      assertThat(new WebClient(demo.address()).login("김민수 가").statusCode()).isEqualTo(303);
    }
  }
}

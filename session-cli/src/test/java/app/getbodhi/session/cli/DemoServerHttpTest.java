package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's routes over real HTTP, on a random port, with sessions in a SQLite file. */
class DemoServerHttpTest extends DemoHttpTestBase {

  private JsonNode me(WebClient client) throws Exception {
    HttpResponse<String> response = client.get("/api/me");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    return new ObjectMapper().readTree(response.body());
  }

  @Nested
  class LoggedOut {

    @Test
    void theHomePageShowsTheLoginFormAndSetsNoCookie() {
      HttpResponse<String> response = browser.get("/");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("<form method=\"post\" action=\"/login\">");
      assertThat(WebClient.sessionCookies(response)).isEmpty();
    }

    @Test
    void apiMeSaysNobody() throws Exception {
      JsonNode me = me(browser);

      assertThat(me.get("user").isNull()).isTrue();
      assertThat(me.get("visits").asLong()).isZero();
      assertThat(me.get("sessions").asLong()).isZero();
      assertThat(browser.cookie()).isEmpty();
    }

    @Test
    void aServerListensOnTheRandomPortItReports() {
      assertThat(demo.server().port()).isPositive();
      assertThat(demo.address().toString())
          .isEqualTo("http://127.0.0.1:" + demo.server().port() + "/");
    }
  }

  @Nested
  class Login {

    @Test
    void redirectsHomeWithASessionCookieThatHasTheLayersAttributes() {
      HttpResponse<String> response = browser.login("alice");

      assertSeeOtherHome(response);
      assertThat(WebClient.sessionCookies(response))
          .singleElement()
          .asString()
          .matches(WebClient.COOKIE + "=[A-Za-z0-9_-]{22};.*")
          .contains("Path=/", "HttpOnly", "SameSite=Strict");
    }

    @Test
    void remembersTheUserAndCountsVisitsOfTheHomePage() throws Exception {
      browser.login("alice");

      assertThat(browser.get("/").body()).contains("<strong id=\"visits\">1</strong>");
      assertThat(browser.get("/").body()).contains("<strong id=\"visits\">2</strong>");
      JsonNode me = me(browser);

      assertThat(me.get("user").asText()).isEqualTo("alice");
      assertThat(me.get("visits").asLong()).isEqualTo(2);
      assertThat(me.get("sessions").asLong()).isEqualTo(1);
    }

    @Test
    void givesANewSessionIdAtLoginAndTheOldOneStopsWorking() throws Exception {
      browser.login("alice");
      String before = browser.cookie().orElseThrow();

      browser.login("bob");
      String after = browser.cookie().orElseThrow();

      assertThat(after).isNotEqualTo(before);
      assertThat(me(browser).get("user").asText()).isEqualTo("bob");
      WebClient attacker = new WebClient(demo.address());
      attacker.useCookie(before);
      assertThat(me(attacker).get("user").isNull()).isTrue();
    }

    @Test
    void aHeadRequestIsNotAVisit() throws Exception {
      browser.login("alice");
      browser.get("/");

      HttpResponse<String> head =
          browser.send(
              java.net.http.HttpRequest.newBuilder(demo.address())
                  .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));

      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(me(browser).get("visits").asLong()).isEqualTo(1);
    }

    @Test
    void startsTheCounterAfreshWhenAnotherUserLogsInOnTheSameBrowser() throws Exception {
      browser.login("alice");
      browser.get("/");
      browser.get("/");

      browser.login("bob");

      assertThat(me(browser).get("visits").asLong()).isZero();
    }

    @Test
    void escapesTheUserNameInTheHtmlAndKeepsItIntactInJson() throws Exception {
      String name = "<script>alert('x')</script>&\"";
      browser.login(name);

      String page = browser.get("/").body();

      assertThat(page)
          .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;")
          .doesNotContain("<script>");
      assertThat(me(browser).get("user").asText()).isEqualTo(name);
    }

    @Test
    void acceptsAnyNameUpToTheLimitIncludingNonAscii() throws Exception {
      String name = "名".repeat(DemoServlet.MAX_USERNAME_LENGTH);

      assertThat(browser.login(name).statusCode()).isEqualTo(303);
      assertThat(me(browser).get("user").asText()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "tab\tname"})
    void refusesAnEmptyBlankOrControlCharacterNameWith400(String name) {
      assertLoginRefused(name, "id=\"error\"");
    }

    @Test
    void refusesATooLongNameWith400AndSaysTheLimit() {
      assertLoginRefused(
          "x".repeat(DemoServlet.MAX_USERNAME_LENGTH + 1),
          "at most " + DemoServlet.MAX_USERNAME_LENGTH);
    }

    @Test
    void refusesAMissingNameWith400() {
      HttpResponse<String> response = browser.post("/login");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("Enter a user name.");
    }
  }

  @Nested
  class Logout {

    @Test
    void endsThisSessionOnlyAndExpiresItsCookie() throws Exception {
      browser.login("alice");
      WebClient other = new WebClient(demo.address());
      other.login("alice");

      HttpResponse<String> response = browser.post("/logout");

      assertSeeOtherHome(response);
      assertThat(WebClient.sessionCookies(response))
          .singleElement()
          .asString()
          .contains("Max-Age=0");
      assertThat(me(browser).get("user").isNull()).isTrue();
      assertThat(me(other).get("user").asText()).isEqualTo("alice");
      assertThat(me(other).get("sessions").asLong()).isEqualTo(1);
    }

    @Test
    void everywhereEndsEverySessionOfTheUserButNotOthers() throws Exception {
      browser.login("alice");
      WebClient secondAlice = new WebClient(demo.address());
      secondAlice.login("alice");
      WebClient bob = new WebClient(demo.address());
      bob.login("bob");
      assertThat(me(browser).get("sessions").asLong()).isEqualTo(2);

      HttpResponse<String> response = secondAlice.post("/logout-everywhere");

      assertSeeOtherHome(response);
      assertThat(me(secondAlice).get("user").isNull()).isTrue();
      assertThat(me(browser).get("user").isNull()).isTrue();
      assertThat(me(bob).get("user").asText()).isEqualTo("bob");
      assertThat(demo.service().countSessionsForUser("alice")).isZero();
    }

    @Test
    void withoutASessionJustRedirectsHome() {
      assertSeeOtherHome(browser.post("/logout"));
      assertSeeOtherHome(browser.post("/logout-everywhere"));
      assertThat(browser.cookie()).isEmpty();
    }
  }

  @Nested
  class Routing {

    @Test
    void anUnknownPathIs404() {
      assertThat(browser.get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
      HttpResponse<String> getLogin = browser.get("/login");
      HttpResponse<String> postHome = browser.post("/");

      assertThat(getLogin.statusCode()).isEqualTo(405);
      assertThat(getLogin.headers().firstValue("Allow")).contains("POST");
      assertThat(postHome.statusCode()).isEqualTo(405);
      assertThat(postHome.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    @Test
    void pagesAreNotCachedAndForbidScripts() {
      HttpResponse<String> response = browser.get("/");

      assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'"));
      assertThat(response.headers().firstValue("Server")).isEmpty();
    }
  }
}

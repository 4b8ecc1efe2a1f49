package app.getbodhi.session.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An example over real HTTP: login, the visit counter, the devices page and its revocation, the two
 * logouts, CSRF and health, with {@link HttpBrowser}s that keep cookie jars of their own. Both
 * examples pass the same tests; a subclass names the application with its example's test
 * annotation.
 */
public abstract class ExampleHttpTestBase extends ExampleAppTestBase {

  @Test
  void aBrowserThatIsNotLoggedInIsSentToTheLoginForm() {
    HttpBrowser browser = browser();

    // the page it asked for is remembered in its session (Spring Security's saved request, stored
    // through the attribute codec) and it is sent to the form
    assertThat(browser.isSentToLogin()).isTrue();
    HttpResponse<String> form = browser.get("/login");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("id=\"username\"", "id=\"password\"", "name=\"_csrf\"");
  }

  @Test
  void aUserLogsInAndEveryViewOfTheHomePageCountsAVisitInTheSession() {
    HttpBrowser browser = browser().logInOk("alice");

    String first = browser.home();
    assertThat(HttpBrowser.text(first, "user")).isEqualTo("alice");
    assertThat(HttpBrowser.text(first, "visits")).isEqualTo("1");
    assertThat(HttpBrowser.text(first, "sessions")).isEqualTo("1");
    assertThat(HttpBrowser.text(browser.home(), "visits")).isEqualTo("2");
    assertThat(HttpBrowser.text(browser.home(), "visits")).isEqualTo("3");
    // the user is in the store's indexed column: that is what the count reads
    assertThat(sessions.countSessionsForUser("alice")).isEqualTo(1);
  }

  @Test
  void loggingInGivesTheBrowserANewSessionId() {
    HttpBrowser browser = browser();
    browser.get("/login");
    String before = browser.sessionId().orElseThrow();

    browser.logInOk("alice");

    assertThat(browser.sessionId()).isPresent().get().isNotEqualTo(before);
    assertThat(sessions.countSessionsForUser("alice")).isEqualTo(1);
  }

  @Test
  void aWrongPasswordSendsTheBrowserBackToTheFormWithAnError() {
    HttpBrowser browser = browser();

    HttpResponse<String> response = browser.logIn("alice", "not-the-password");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(HttpBrowser.location(response)).isEqualTo("/login?error");
    assertThat(browser.get("/login?error").body()).contains("id=\"error\"");
    assertThat(browser.isSentToLogin()).isTrue();
    assertThat(sessions.countSessionsForUser("alice")).isZero();
  }

  @Test
  void theSessionCountAndTheDevicesPageShowEveryBrowserOfTheUserAndMarkThisOne() {
    HttpBrowser laptop = browser().logInOk("alice");
    HttpBrowser phone = browser().logInOk("alice");
    HttpBrowser other = browser().logInOk("bob");

    assertThat(HttpBrowser.text(laptop.home(), "sessions")).isEqualTo("2");
    String page = laptop.get("/devices").body();

    assertThat(HttpBrowser.text(page, "device-count")).isEqualTo("2");
    assertThat(HttpBrowser.revokeRefs(page))
        .containsExactlyInAnyOrder(refOf(laptop), refOf(phone))
        .doesNotContain(refOf(other));
    // this browser's row, and only it, is marked; no session id appears, only refs
    assertThat(page)
        .contains("id=\"device-" + refOf(laptop) + "\" class=\"device this-device\"")
        .contains("id=\"device-" + refOf(phone) + "\" class=\"device\"")
        .containsOnlyOnce("(this device)")
        .doesNotContain(laptop.sessionId().orElseThrow(), phone.sessionId().orElseThrow());
  }

  @Test
  void revokingAnotherDeviceLogsThatBrowserOutOnItsNextRequest() {
    HttpBrowser laptop = browser().logInOk("alice");
    HttpBrowser phone = browser().logInOk("alice");
    laptop.home();
    phone.home();

    HttpResponse<String> revoked = revoke(laptop, refOf(phone));

    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(HttpBrowser.location(revoked)).isEqualTo("/devices");
    assertThat(phone.isSentToLogin()).isTrue();
    assertThat(HttpBrowser.text(laptop.get("/devices").body(), "device-count")).isEqualTo("1");
    // the laptop keeps its session and its counter
    assertThat(HttpBrowser.text(laptop.home(), "visits")).isEqualTo("2");
    assertThat(sessions.countSessionsForUser("alice")).isEqualTo(1);
  }

  @Test
  void revokingThisDeviceLogsThisBrowserOut() {
    HttpBrowser laptop = browser().logInOk("alice");
    HttpBrowser phone = browser().logInOk("alice");

    HttpResponse<String> revoked = revoke(laptop, refOf(laptop));

    assertThat(HttpBrowser.location(revoked)).isEqualTo("/login?logout");
    assertThat(laptop.isSentToLogin()).isTrue();
    phone.assertLoggedInAs("alice");
  }

  @Test
  void aUserCannotRevokeAnotherUsersSessionNorAnUnknownRef() {
    HttpBrowser alice = browser().logInOk("alice");
    HttpBrowser carol = browser().logInOk("carol");

    HttpResponse<String> othersRef = revoke(alice, refOf(carol));
    HttpResponse<String> malformed = revoke(alice, "not-a-ref");

    assertThat(othersRef.statusCode()).isEqualTo(404);
    assertThat(malformed.statusCode()).isEqualTo(404);
    // the same answer for both: a ref of someone else's session reveals nothing
    assertThat(othersRef.body()).isEqualTo(malformed.body());
    carol.assertLoggedInAs("carol");
    assertThat(sessions.countSessionsForUser("carol")).isEqualTo(1);
  }

  @Test
  void aFormPostedWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
    HttpBrowser laptop = browser().logInOk("alice");
    HttpBrowser phone = browser().logInOk("alice");

    HttpResponse<String> forgedRevoke =
        laptop.postWithoutToken("/devices/revoke", Map.of("ref", refOf(phone)));
    HttpResponse<String> forgedLogout = laptop.postWithoutToken("/logout-everywhere", Map.of());

    assertThat(forgedRevoke.statusCode()).as("revoke").isEqualTo(403);
    assertThat(forgedLogout.statusCode()).as("log out everywhere").isEqualTo(403);
    phone.assertLoggedInAs("alice");
    laptop.assertLoggedInAs("alice");
    assertThat(sessions.countSessionsForUser("alice")).isEqualTo(2);
  }

  @Test
  void logOutEndsOnlyThisBrowsersSession() {
    HttpBrowser laptop = browser().logInOk("alice");
    HttpBrowser phone = browser().logInOk("alice");

    HttpResponse<String> out = laptop.postFromHome("/logout");

    assertThat(HttpBrowser.location(out)).isEqualTo("/login?logout");
    assertThat(laptop.isSentToLogin()).isTrue();
    assertThat(HttpBrowser.text(phone.home(), "sessions")).isEqualTo("1");
  }

  @Test
  void logOutEverywhereEndsEveryBrowserOfTheUserAndNoOtherUsers() {
    HttpBrowser laptop = browser().logInOk("alice");
    HttpBrowser phone = browser().logInOk("alice");
    HttpBrowser bob = browser().logInOk("bob");

    HttpResponse<String> out = laptop.postFromHome("/logout-everywhere");

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(HttpBrowser.location(out)).isEqualTo("/login?logout");
    assertThat(laptop.isSentToLogin()).isTrue();
    assertThat(phone.isSentToLogin()).isTrue();
    assertThat(sessions.countSessionsForUser("alice")).isZero();
    bob.assertLoggedInAs("bob");
  }

  @Test
  void theHealthEndpointShowsTheSessionStoreUpWithoutLogin() {
    HttpResponse<String> health = browser().get("/actuator/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"bodhiSession\":{\"status\":\"UP\"}");
  }

  /** Posts the devices page's revoke form for a ref, as the browser's user. */
  static HttpResponse<String> revoke(HttpBrowser browser, String ref) {
    return browser.submit(browser.get("/devices").body(), "/devices/revoke", Map.of("ref", ref));
  }
}

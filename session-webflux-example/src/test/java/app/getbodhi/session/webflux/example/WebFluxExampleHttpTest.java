package app.getbodhi.session.webflux.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The WebFlux example over real HTTP: login, the visit counter, "your devices" with revocation, log
 * out everywhere, CSRF.
 */
class WebFluxExampleHttpTest extends WebFluxExampleTestBase {

  @Test
  void a_logged_in_user_sees_the_visit_counter_grow_in_the_session() {
    Browser alice = Browser.on(port).logIn("alice");

    assertThat(Browser.text(alice.home(), "user")).isEqualTo("alice");
    assertThat(Browser.text(alice.home(), "visits")).isEqualTo("2");
    assertThat(Browser.text(alice.home(), "sessions")).isEqualTo("1");
  }

  @Test
  void a_wrong_password_or_no_login_sends_the_browser_to_the_form() {
    Browser stranger = Browser.on(port);
    assertThat(stranger.isSentToLogin()).isTrue();

    HttpResponse<String> form = stranger.get("/login");
    HttpResponse<String> wrong =
        stranger.submit(form.body(), "/login", Map.of("username", "alice", "password", "nope"));

    assertThat(Browser.location(wrong)).isEqualTo("/login?error");
    assertThat(stranger.get("/login?error").body()).contains("id=\"error\"");
  }

  @Test
  void logging_in_gives_the_browser_a_new_session_id() {
    Browser browser = Browser.on(port);
    browser.get("/login");
    String before = browser.sessionId().orElseThrow();

    browser.logIn("alice");

    assertThat(browser.sessionId()).isPresent().isNotEqualTo(java.util.Optional.of(before));
    assertThat(sessions.countSessionsForUser("alice")).isEqualTo(1);
  }

  @Test
  void a_post_without_the_csrf_token_is_refused() {
    Browser alice = Browser.on(port).logIn("alice");

    HttpResponse<String> forged = alice.post("/logout-everywhere", Map.of());

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(sessions.countSessionsForUser("alice")).isEqualTo(1);
  }

  @Test
  void the_devices_page_lists_the_users_sessions_and_revokes_another_one() {
    Browser laptop = Browser.on(port).logIn("alice");
    Browser phone = Browser.on(port).logIn("alice");
    String page = laptop.get("/devices").body();
    assertThat(Browser.text(page, "device-count")).isEqualTo("2");
    assertThat(page)
        .contains("id=\"device-" + refOf(laptop) + "\" class=\"device this-device\"")
        .doesNotContain(laptop.sessionId().orElseThrow());

    HttpResponse<String> revoked =
        laptop.submit(page, "/devices/revoke", Map.of("ref", refOf(phone)));

    assertThat(Browser.location(revoked)).isEqualTo("/devices");
    assertThat(phone.isSentToLogin()).isTrue();
    assertThat(Browser.text(laptop.home(), "user")).isEqualTo("alice");
  }

  @Test
  void a_ref_that_is_not_one_of_the_users_sessions_is_not_found_and_revokes_nothing() {
    Browser alice = Browser.on(port).logIn("alice");
    Browser bob = Browser.on(port).logIn("bob");

    HttpResponse<String> attempt =
        alice.submit(alice.get("/devices").body(), "/devices/revoke", Map.of("ref", refOf(bob)));

    assertThat(attempt.statusCode()).isEqualTo(404);
    assertThat(Browser.text(bob.home(), "user")).isEqualTo("bob");
  }

  @Test
  void log_out_everywhere_ends_every_session_of_the_user_and_no_other() {
    Browser laptop = Browser.on(port).logIn("alice");
    Browser phone = Browser.on(port).logIn("alice");
    Browser bob = Browser.on(port).logIn("bob");

    HttpResponse<String> out = laptop.submit(laptop.home(), "/logout-everywhere", Map.of());

    assertThat(Browser.location(out)).isEqualTo("/login?logout");
    assertThat(laptop.isSentToLogin()).isTrue();
    assertThat(phone.isSentToLogin()).isTrue();
    assertThat(sessions.countSessionsForUser("alice")).isZero();
    assertThat(Browser.text(bob.home(), "user")).isEqualTo("bob");
  }

  @Test
  void logging_out_ends_this_session_only() {
    Browser laptop = Browser.on(port).logIn("alice");
    Browser phone = Browser.on(port).logIn("alice");

    HttpResponse<String> out = laptop.submit(laptop.home(), "/logout", Map.of());

    assertThat(Browser.location(out)).isEqualTo("/login?logout");
    assertThat(laptop.isSentToLogin()).isTrue();
    assertThat(Browser.text(phone.home(), "user")).isEqualTo("alice");
    assertThat(sessions.countSessionsForUser("alice")).isEqualTo(1);
  }
}

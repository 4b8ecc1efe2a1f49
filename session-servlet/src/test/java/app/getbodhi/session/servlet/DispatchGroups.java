package app.getbodhi.session.servlet;

import static app.getbodhi.session.tests.servlet.FilterAssertions.assertCostNothing;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertNoCookie;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertSameId;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertStatements;
import static app.getbodhi.session.tests.servlet.FilterAssertions.ok;
import static app.getbodhi.session.tests.servlet.FilterAssertions.onlyCookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.script;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.tests.servlet.Exchange;
import app.getbodhi.session.tests.servlet.FilterHarness;
import app.getbodhi.session.tests.servlet.FilterServer;
import app.getbodhi.session.tests.servlet.SetCookie;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The groups of {@link HttpBehaviour} about dispatches (error pages, forwards, includes) and about
 * sessions that never time out, written apart to keep each file short; {@link HttpBehaviour} runs
 * them as its {@code ErrorPages}, {@code Dispatches} and {@code NeverTimesOut} classes, on each
 * container.
 */
final class DispatchGroups {

  private DispatchGroups() {}

  /** What every group here holds: the harness of the container it runs on. */
  abstract static class Group {

    private final FilterHarness http;

    Group(FilterHarness http) {
      this.http = http;
    }

    final FilterHarness http() {
      return http;
    }
  }

  /** Error pages after {@code sendError}, and what a forward target sees. */
  abstract static class ErrorPages extends Group {

    ErrorPages(FilterHarness http) {
      super(http);
    }

    @Test
    void an_error_page_after_send_error_404_sees_the_stored_session_of_a_logged_in_user() {
      String id = http().newSession("set:user_id:alice");

      Exchange notFound = http().as(id, "error:404");

      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.line("page")).isEqualTo("session");
      assertThat(notFound.line("dispatch")).isEqualTo("ERROR");
      assertThat(notFound.line("status")).isEqualTo("404");
      assertSameId(notFound.line("session"), id, "the session the error page sees");
      assertThat(notFound.line("user_id")).isEqualTo("alice");
      // the error page reuses the request's session: loaded once, nothing written
      assertStatements(notFound, "SELECT");
      assertNoCookie(notFound);
    }

    @Test
    void an_error_page_sees_the_session_the_failing_request_created_which_is_inserted_once() {
      Exchange notFound = http().request(script("set:cart:apple", "error:404"));

      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.line("dispatch")).isEqualTo("ERROR");
      String id = onlyCookie(notFound).value();
      assertSameId(notFound.line("session"), id, "the session the error page sees");
      assertThat(notFound.line("cart")).isEqualTo("apple");
      assertThat(notFound.verbs()).filteredOn("INSERT"::equals).hasSize(1);
      assertStatements(notFound, "INSERT");
      assertThat(http().database().sessionRowCount()).isEqualTo(1);
      assertThat(http().storedData(id)).isEqualTo(Map.of("cart", "apple"));
      assertThat(ok(http().as(id, "get:cart")).line("cart")).isEqualTo("apple");
    }

    @Test
    void changes_made_before_send_error_are_saved_once_and_the_error_page_sees_them() {
      String id = http().newSession("set:user_id:alice");

      Exchange notFound = http().as(id, "set:last:search", "error:404");

      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.line("last")).isEqualTo("search");
      assertThat(notFound.line("user_id")).isEqualTo("alice");
      assertStatements(notFound, "SELECT", "UPDATE");
      assertNoCookie(notFound);
      assertThat(http().storedData(id)).isEqualTo(Map.of("user_id", "alice", "last", "search"));
    }

    @Test
    void an_error_page_without_a_session_costs_no_statement_and_creates_none() {
      Exchange notFound = http().request(script("error:404"));

      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.line("dispatch")).isEqualTo("ERROR");
      assertThat(notFound.line("session")).isEqualTo("none");
      assertCostNothing(notFound);
      assertThat(http().database().sessionRowCount()).isZero();
    }

    @Test
    void a_forward_target_sees_the_session_the_request_created_which_is_inserted_once() {
      Exchange forwarded =
          ok(http().request(script("set:cart:apple", "forward:" + FilterServer.SESSION_PAGE)));

      assertThat(forwarded.line("dispatch")).isEqualTo("FORWARD");
      String id = onlyCookie(forwarded).value();
      assertSameId(forwarded.line("session"), id, "the session the forward target sees");
      assertThat(forwarded.line("cart")).isEqualTo("apple");
      assertStatements(forwarded, "INSERT");
      assertThat(http().storedData(id)).isEqualTo(Map.of("cart", "apple"));
    }
  }

  /** A session whose own timeout is zero or less, and the cookie that reaches it. */
  abstract static class NeverTimesOut extends Group {

    NeverTimesOut(FilterHarness http) {
      super(http);
    }

    @Test
    void with_a_max_age_cookie_its_row_lives_as_long_as_the_cookie_and_no_longer() {
      Duration maxAge = Duration.ofMinutes(30);
      // a session whose timeout is the cookie's 30 minutes has a 3-minute granularity
      Duration lifetime = maxAge.plus(maxAge.dividedBy(10));
      http().serve(http().layer().toBuilder().maxAge(maxAge).build());

      Exchange created = ok(http().request(script("set:k:v", "set-timeout:-1", "timeout")));

      String id = onlyCookie(created).value();
      assertThat(created.line("timeout")).isEqualTo("-1");
      assertThat(onlyCookie(created).attribute("Max-Age"))
          .contains(Long.toString(lifetime.toSeconds()));
      assertThat(http().record(id).expiryDate()).isEqualTo(FilterHarness.START.plus(lifetime));
      assertThat(http().record(id).maxInactiveInterval()).contains(Duration.ofSeconds(-1));

      // the browser drops the cookie then: the row goes with it
      http().clock().advance(lifetime.plusSeconds(1));
      assertThat(http().stored(id)).isEmpty();
      assertThat(http().store().deleteExpired()).isEqualTo(1);
      assertThat(http().rows(id)).isZero();
    }

    @Test
    void with_a_browser_session_cookie_its_row_is_kept_until_it_is_deleted() {
      Exchange created = ok(http().request(script("set:k:v", "set-timeout:-1")));

      String id = onlyCookie(created).value();
      assertThat(onlyCookie(created).has("Max-Age")).isFalse();
      assertThat(http().record(id).expiryDate()).isEqualTo(SessionRecord.MAX_EXPIRY);
    }
  }

  /** A session created, changed, rotated or invalidated during a forward or an include. */
  abstract static class Dispatches extends Group {

    Dispatches(FilterHarness http) {
      super(http);
    }

    private String dispatch(String how, String act, boolean body) {
      return how + ":" + FilterHarness.DISPATCHED + "?act=" + act + (body ? "&body=true" : "");
    }

    @ParameterizedTest(name = "writing a body: {0}")
    @ValueSource(booleans = {false, true})
    void a_session_created_in_a_forward_reaches_the_browser(boolean body) {
      Exchange forwarded = ok(http().request(script(dispatch("forward", "set", body))));

      String id = onlyCookie(forwarded).value();
      assertThat(http().storedData(id)).isEqualTo(Map.of("dispatched", "yes"));
      assertThat(http().database().sessionRowCount()).isEqualTo(1);
      assertThat(ok(http().as(id, "get:dispatched")).line("dispatched")).isEqualTo("yes");
    }

    @ParameterizedTest(name = "writing a body: {0}")
    @ValueSource(booleans = {false, true})
    void a_session_created_in_an_include_reaches_the_browser(boolean body) {
      Exchange included = ok(http().request(script(dispatch("include", "set", body), "peek")));

      String id = onlyCookie(included).value();
      assertThat(included.line("session")).isEqualTo(id);
      assertThat(http().storedData(id)).isEqualTo(Map.of("dispatched", "yes"));
      assertThat(http().database().sessionRowCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"forward", "include"})
    void a_session_invalidated_in_a_dispatch_expires_the_cookie(String how) {
      String id = http().newSession("set:k:v");

      Exchange logout = ok(http().as(id, dispatch(how, "invalidate", false)));

      SetCookie expired = onlyCookie(logout);
      assertThat(expired.value()).isEmpty();
      assertThat(expired.attribute("Max-Age")).contains("0");
      assertThat(http().rows(id)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"forward", "include"})
    void a_session_id_changed_in_a_dispatch_reaches_the_browser(String how) {
      String id = http().newSession("set:k:v");

      Exchange login = ok(http().as(id, dispatch(how, "rotate", false)));

      String rotated = onlyCookie(login).value();
      assertThat(rotated).isNotEqualTo(id);
      assertThat(http().storedData(rotated)).isEqualTo(Map.of("k", "v"));
      assertThat(http().rows(id)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"forward", "include"})
    void a_change_in_a_dispatch_is_saved_with_one_update(String how) {
      String id = http().newSession("set:k:v");

      Exchange changed = ok(http().as(id, dispatch(how, "set", false)));

      assertStatements(changed, "SELECT", "UPDATE");
      assertNoCookie(changed);
      assertThat(http().storedData(id)).isEqualTo(Map.of("k", "v", "dispatched", "yes"));
    }
  }
}

package app.getbodhi.session.servlet;

import static app.getbodhi.session.tests.servlet.FilterAssertions.assertCostNothing;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertNoCookie;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertSameId;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertStatements;
import static app.getbodhi.session.tests.servlet.FilterAssertions.ok;
import static app.getbodhi.session.tests.servlet.FilterAssertions.onlyCookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.COOKIE;
import static app.getbodhi.session.tests.servlet.FilterHarness.PLAIN;
import static app.getbodhi.session.tests.servlet.FilterHarness.SCRIPT;
import static app.getbodhi.session.tests.servlet.FilterHarness.cookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.script;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tests.servlet.Exchange;
import app.getbodhi.session.tests.servlet.FilterHarness;
import app.getbodhi.session.tests.servlet.FilterServer;
import app.getbodhi.session.tests.servlet.HarnessLifecycle;
import app.getbodhi.session.tests.servlet.SetCookie;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link SessionManagerFilter} does over HTTP that no backend can change: the cookie it
 * writes, the requests that cost no statement, forged and URL-borne ids, {@code changeSessionId()}
 * without a stored session, {@code invalidate()}, error pages, forwards and includes, {@code
 * getId()} after {@code invalidate()}, and the requested id. These run on SQLite (the embedded
 * default), once per container ({@link JettyHttpBehaviourTest}, {@link TomcatHttpBehaviourTest}),
 * each with its default settings: the store here only inserts, loads, updates and deletes one row
 * by id, and plain strings round-trip, which the store contract and the per-backend groups check on
 * every backend; what differs is how each container dispatches and commits a response.
 *
 * <p>What could differ between backends (stored times, timeouts and expiry, rotation of a stored
 * session, the {@code user_id} column, store failures, concurrent requests, values) runs per
 * backend in session-tests' {@code SessionFilterContract}. A group split between the two keeps its
 * name in both ("forged cookies", "session fixation").
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpBehaviour extends HarnessLifecycle {

  private final FilterServer.Container container;

  HttpBehaviour(FilterServer.Container container) {
    this.container = container;
  }

  @Override
  protected FilterHarness newHarness() {
    return FilterHarness.on(SqliteFixture.tempFile())
        .stores(SqliteSessionStore::new)
        .container(container);
  }

  /**
   * Sends a request and checks that it was served with no session and cost the store nothing: no
   * statement, no {@code Set-Cookie}.
   *
   * @param cookieHeader the {@code Cookie} header, or {@code null} for none
   * @return the exchange, for what else the test checks
   */
  private Exchange servedWithoutSession(String target, String cookieHeader) {
    Exchange exchange = ok(http.request(target, cookieHeader));
    assertThat(exchange.line("session")).isEqualTo("none");
    assertCostNothing(exchange);
    return exchange;
  }

  @Nested
  @DisplayName("the cookie")
  class CookieAttributes {

    @Test
    void a_new_session_sets_one_cookie_with_path_httponly_and_samesite_strict_and_nothing_else() {
      Exchange created = ok(http.request(script("set:k:v", "peek")));

      SetCookie cookie = onlyCookie(created);
      assertThat(cookie.name()).isEqualTo("bodhiapp_session_id");
      assertThat(cookie.value()).isEqualTo(created.line("session"));
      assertThat(SessionId.parse(cookie.value())).isPresent();
      assertThat(cookie.attributes())
          .as("attributes of %s", cookie.header())
          .containsOnlyKeys("path", "httponly", "samesite")
          .containsEntry("path", "/")
          .containsEntry("httponly", "")
          .containsEntry("samesite", "Strict");
    }

    @Test
    void by_default_the_cookie_is_neither_secure_nor_persistent() {
      SetCookie cookie = onlyCookie(ok(http.request(script("set:k:v"))));

      assertThat(cookie.has("Secure")).isFalse();
      assertThat(cookie.has("Max-Age")).isFalse();
      assertThat(cookie.has("Expires")).isFalse();
      assertThat(cookie.has("Domain")).isFalse();
    }

    @Test
    void the_cookie_is_secure_when_the_layer_says_so() {
      http.serve(http.layer().toBuilder().secure(true).build());

      SetCookie cookie = onlyCookie(ok(http.request(script("set:k:v"))));

      assertThat(cookie.has("Secure")).as(cookie.header()).isTrue();
      assertThat(cookie.attributes())
          .containsOnlyKeys("path", "httponly", "samesite", "secure")
          .containsEntry("samesite", "Strict");
    }

    @Test
    void the_cookie_carries_max_age_when_the_layer_sets_an_inactivity_timeout() {
      http.serve(http.layer().toBuilder().maxAge(Duration.ofMinutes(30)).build());

      SetCookie cookie = onlyCookie(ok(http.request(script("set:k:v"))));

      // the Max-Age carries the same slack as the stored session: the 5-minute granularity
      assertThat(cookie.attribute("Max-Age")).as(cookie.header()).contains("2100");
      assertThat(cookie.has("Secure")).isFalse();
    }

    @Test
    void name_path_domain_samesite_and_httponly_follow_the_layer() {
      http.serve(
          http.layer().toBuilder()
              .cookieName("sid")
              .path("/app")
              .domain("example.test")
              .sameSite(SessionManagerLayer.SameSite.LAX)
              .httpOnly(false)
              .build());

      SetCookie cookie = onlyCookie(ok(http.request(script("set:k:v"))));

      assertThat(cookie.name()).isEqualTo("sid");
      assertThat(cookie.attributes())
          .as(cookie.header())
          .containsOnlyKeys("path", "domain", "samesite")
          .containsEntry("path", "/app")
          .containsEntry("domain", "example.test")
          .containsEntry("samesite", "Lax");
      // the filter reads the session back under the configured name only
      assertThat(ok(http.request(script("get:k"), "sid=" + cookie.value())).line("k"))
          .isEqualTo("v");
      assertThat(ok(http.request(script("peek"), cookie(cookie.value()))).line("session"))
          .isEqualTo("none");
    }

    @Test
    void other_cookies_beside_the_session_cookie_are_left_alone() {
      String id = http.newSession("set:k:v");

      Exchange read = ok(http.request(script("get:k"), "theme=dark; " + cookie(id) + "; lang=en"));

      assertThat(read.line("k")).isEqualTo("v");
      assertStatements(read, "SELECT");
      assertNoCookie(read);
    }

    @Test
    void a_samesite_none_cookie_is_always_secure() {
      http.serve(http.layer().toBuilder().sameSite(SessionManagerLayer.SameSite.NONE).build());

      SetCookie cookie = onlyCookie(ok(http.request(script("set:k:v"))));

      assertThat(cookie.attribute("SameSite")).contains("None");
      assertThat(cookie.has("Secure")).as(cookie.header()).isTrue();
    }
  }

  @Nested
  @DisplayName("laziness")
  class Laziness {

    @Test
    void a_request_that_never_touches_the_session_costs_no_statement_and_sends_no_cookie() {
      Exchange plain = ok(http.request(PLAIN));

      assertThat(plain.line("plain")).isEqualTo("ok");
      assertCostNothing(plain);
    }

    @Test
    void a_session_cookie_on_a_request_that_never_touches_the_session_costs_nothing_either() {
      String id = http.newSession("set:k:v");

      Exchange plain = ok(http.request(PLAIN, cookie(id)));

      assertCostNothing(plain);
    }

    @Test
    void asking_for_an_existing_session_without_a_cookie_costs_no_statement() {
      Exchange peek = servedWithoutSession(script("peek", "get:k"), null);

      assertThat(peek.line("k")).isEqualTo("<no session>");
    }

    @Test
    void a_malformed_cookie_is_never_looked_up() {
      servedWithoutSession(script("peek"), cookie("not-a-session-id"));
    }
  }

  @Nested
  @DisplayName("forged cookies")
  class ForgedCookies {

    static Stream<Arguments> forgeries() {
      String tenThousand = "A".repeat(10_000);
      List<String> fiveIds =
          IntStream.range(0, 5).mapToObj(i -> SessionId.generate().value()).toList();
      return Stream.of(
          Arguments.of("a random well-formed id", List.of(SessionId.generate().value())),
          Arguments.of("garbage", List.of("not-a-session-id")),
          Arguments.of("an empty value", List.of("")),
          Arguments.of("a path", List.of("../../../etc/passwd")),
          Arguments.of("SQL", List.of("x'--")),
          Arguments.of("21 characters", List.of("A".repeat(21))),
          Arguments.of("23 characters", List.of("A".repeat(23))),
          Arguments.of("standard base64 characters", List.of("A".repeat(20) + "+/")),
          Arguments.of("non-canonical trailing bits", List.of("A".repeat(21) + "B")),
          Arguments.of("a 10 000-character value", List.of(tenThousand)),
          Arguments.of("five same-named cookies with random ids", fiveIds),
          Arguments.of(
              "same-named cookies mixing garbage and random ids",
              List.of("garbage", fiveIds.get(0), tenThousand, fiveIds.get(1), "")));
    }

    private String header(List<String> values) {
      return values.stream().map(FilterHarness::cookie).collect(Collectors.joining("; "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void a_forged_cookie_is_treated_as_no_session(String label, List<String> values) {
      http.newSession("set:someone:else");

      Exchange peek =
          ok(http.request(script("peek", "get:someone", "cookieLengths"), header(values)));

      // the container hands every value to the filter, even the very long one
      assertThat(peek.line("cookieLengths"))
          .isEqualTo(values.stream().map(String::length).toList().toString());
      assertThat(peek.line("session")).isEqualTo("none");
      assertThat(peek.line("someone")).isEqualTo("<no session>");
      assertNoCookie(peek);
      // at most a few lookups, whatever the client sends; nothing written
      assertThat(peek.verbs())
          .as("statements of %s", peek)
          .hasSizeLessThanOrEqualTo(3)
          .allMatch("SELECT"::equals);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void a_session_created_under_a_forged_cookie_gets_a_fresh_id(
        String label, List<String> values) {
      Exchange created = ok(http.request(script("set:k:v", "peek"), header(values)));

      String id = onlyCookie(created).value();
      assertThat(SessionId.parse(id)).isPresent();
      assertThat(values).doesNotContain(id);
      assertThat(created.line("session")).isEqualTo(id);
      assertThat(created.line("new")).isEqualTo("true");
      List<String> verbs = created.verbs();
      assertThat(verbs).as("statements of %s", created).endsWith("INSERT");
      assertThat(verbs.subList(0, verbs.size() - 1))
          .hasSizeLessThanOrEqualTo(3)
          .allMatch("SELECT"::equals);
      assertThat(http.storedData(id)).isEqualTo(Map.of("k", "v"));
      assertThat(http.database().sessionRowCount()).isEqualTo(1);
      for (String value : values) {
        assertThat(http.rows(value)).as("rows under a forged id").isZero();
      }
    }

    @Test
    void a_real_session_cookie_after_a_forged_one_of_the_same_name_is_still_found() {
      String id = http.newSession("set:k:v");

      Exchange read =
          ok(
              http.request(
                  script("get:k"), cookie(SessionId.generate().value()) + "; " + cookie(id)));

      assertThat(read.line("k")).isEqualTo("v");
      assertStatements(read, "SELECT", "SELECT");
      assertNoCookie(read);
    }

    @Test
    void a_session_id_in_the_url_is_ignored() {
      String id = http.newSession("set:k:v");

      Exchange peek =
          ok(http.request(script("peek") + "&" + COOKIE + "=" + id + "&jsessionid=" + id));
      Exchange pathParameter = ok(http.request(SCRIPT + ";jsessionid=" + id + "?do=peek"));

      assertThat(peek.line("session")).isEqualTo("none");
      assertStatements(peek);
      assertThat(pathParameter.line("session")).isEqualTo("none");
      assertStatements(pathParameter);
    }
  }

  @Nested
  @DisplayName("session fixation")
  class Fixation {

    @Test
    void change_session_id_without_a_session_is_refused() {
      Exchange refused = servedWithoutSession(script("rotate", "peek"), null);

      assertThat(refused.line("rotated")).isEqualTo("IllegalStateException");
    }

    @Test
    void rotating_a_session_started_in_the_same_request_inserts_it_once() {
      Exchange created = ok(http.request(script("set:k:v", "rotate", "peek")));

      String id = onlyCookie(created).value();
      assertThat(id).isEqualTo(created.line("rotated")).isEqualTo(created.line("session"));
      assertStatements(created, "INSERT");
      assertThat(http.database().sessionRowCount()).isEqualTo(1);
      assertThat(http.storedData(id)).isEqualTo(Map.of("k", "v"));
    }
  }

  @Nested
  @DisplayName("invalidation")
  class Invalidation {

    @Test
    void invalidate_deletes_the_row_and_expires_the_cookie_with_the_same_name_path_and_flags() {
      String id = http.newSession("set:user_id:alice");

      Exchange logout = ok(http.as(id, "invalidate", "peek"));

      assertThat(logout.line("invalidated")).isEqualTo("true");
      assertThat(logout.line("session")).isEqualTo("none");
      assertStatements(logout, "SELECT", "DELETE");
      SetCookie expired = onlyCookie(logout);
      assertThat(expired.name()).isEqualTo(COOKIE);
      assertThat(expired.value()).isEmpty();
      assertThat(expired.attributes())
          .as(expired.header())
          .containsOnlyKeys("max-age", "path", "httponly", "samesite")
          .containsEntry("max-age", "0")
          .containsEntry("path", "/")
          .containsEntry("samesite", "Strict");
      assertThat(http.rows(id)).isZero();

      Exchange after = ok(http.as(id, "peek"));
      assertThat(after.line("session")).isEqualTo("none");
      assertNoCookie(after);
    }

    @Test
    void the_expiring_cookie_carries_the_layers_secure_flag_path_and_domain() {
      http.serve(http.layer().toBuilder().secure(true).path("/app").domain("example.test").build());
      String id = http.newSession("set:k:v");

      Exchange logout = ok(http.as(id, "invalidate"));

      SetCookie expired = onlyCookie(logout);
      assertThat(expired.name()).isEqualTo(COOKIE);
      assertThat(expired.value()).isEmpty();
      assertThat(expired.attributes())
          .as(expired.header())
          .containsOnlyKeys("max-age", "path", "domain", "secure", "httponly", "samesite")
          .containsEntry("max-age", "0")
          .containsEntry("path", "/app")
          .containsEntry("domain", "example.test");
      assertThat(http.rows(id)).isZero();
    }

    @Test
    void a_session_started_after_invalidating_gets_a_fresh_id() {
      String old = http.newSession("set:user_id:alice");

      Exchange relogin = ok(http.as(old, "invalidate", "set:k:v", "peek"));

      SetCookie cookie = onlyCookie(relogin);
      assertThat(cookie.expires()).isFalse();
      assertThat(cookie.value()).isNotEqualTo(old).isEqualTo(relogin.line("session"));
      assertThat(relogin.line("new")).isEqualTo("true");
      assertStatements(relogin, "SELECT", "DELETE", "INSERT");
      assertThat(http.rows(old)).isZero();
      assertThat(http.storedData(cookie.value())).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void invalidating_without_a_session_does_nothing() {
      Exchange nothing = ok(http.request(script("invalidate")));

      assertThat(nothing.line("invalidated")).isEqualTo("no session");
      assertCostNothing(nothing);
    }
  }

  @Nested
  @DisplayName("error pages and forwards")
  class ErrorPages extends DispatchGroups.ErrorPages {
    ErrorPages() {
      super(http);
    }
  }

  @Nested
  @DisplayName("after invalidation")
  class AfterInvalidation {

    @Test
    void get_id_after_invalidate_returns_the_old_id_and_the_other_accessors_still_throw() {
      String id = http.newSession("set:k:v");

      Exchange logout = ok(http.as(id, "id-after-invalidate"));

      assertSameId(logout.line("id-after-invalidate"), id, "getId() after invalidate()");
      assertThat(logout.lines())
          .containsEntry("after-invalidate:getAttribute", "IllegalStateException")
          .containsEntry("after-invalidate:getAttributeNames", "IllegalStateException")
          .containsEntry("after-invalidate:setAttribute", "IllegalStateException")
          .containsEntry("after-invalidate:removeAttribute", "IllegalStateException")
          .containsEntry("after-invalidate:getCreationTime", "IllegalStateException")
          .containsEntry("after-invalidate:getLastAccessedTime", "IllegalStateException")
          .containsEntry("after-invalidate:isNew", "IllegalStateException")
          .containsEntry("after-invalidate:getMaxInactiveInterval", "IllegalStateException")
          .containsEntry("after-invalidate:setMaxInactiveInterval", "IllegalStateException")
          .containsEntry("after-invalidate:invalidate", "IllegalStateException");
      assertStatements(logout, "SELECT", "DELETE");
      assertThat(onlyCookie(logout).expires()).isTrue();
      assertThat(http.rows(id)).isZero();
    }

    @Test
    void the_invalidated_session_object_cannot_change_the_timeout_of_the_fresh_session_after_it() {
      String old = http.newSession("set:k:v");

      Exchange relogin = ok(http.as(old, "stale-timeout"));

      assertThat(relogin.line("stale-set-timeout")).isEqualTo("IllegalStateException");
      assertThat(relogin.line("fresh-timeout"))
          .isEqualTo(Long.toString(SessionManagerLayer.DEFAULT_EXPIRY.toSeconds()));
      String fresh = onlyCookie(relogin).value();
      assertThat(fresh).isNotEqualTo(old);
      assertThat(http.storedData(fresh)).isEqualTo(Map.of("fresh", "yes"));
      assertThat(http.record(fresh).maxInactiveInterval()).as("the fresh session's own").isEmpty();
      assertThat(http.rows(old)).isZero();
    }

    @Test
    void get_id_after_invalidating_a_session_created_by_the_same_request_returns_its_id() {
      Exchange created = ok(http.request(script("set:k:v", "peek", "id-after-invalidate")));

      assertThat(created.line("id-after-invalidate")).isNotEqualTo("<no session>");
      assertSameId(
          created.line("id-after-invalidate"),
          created.line("session"),
          "getId() after invalidate()");
      assertThat(SessionId.parse(created.line("id-after-invalidate"))).isPresent();
      assertThat(created.line("after-invalidate:getAttribute")).isEqualTo("IllegalStateException");
      assertCostNothing(created);
      assertThat(http.database().sessionRowCount()).isZero();
    }
  }

  @Nested
  @DisplayName("a session that never times out")
  class NeverTimesOut extends DispatchGroups.NeverTimesOut {
    NeverTimesOut() {
      super(http);
    }
  }

  @Nested
  @DisplayName("forwards and includes")
  class Dispatches extends DispatchGroups.Dispatches {
    Dispatches() {
      super(http);
    }
  }

  @Nested
  @DisplayName("the requested session id")
  class RequestedId {

    /** A well-formed id that once named a session and no longer does: logged out. */
    private String staleId() {
      String stale = http.newSession("set:k:old");
      ok(http.as(stale, "invalidate"));
      assertThat(http.rows(stale)).isZero();
      return stale;
    }

    @Test
    void with_a_stale_cookie_first_and_the_live_one_second_the_requested_id_is_the_live_one() {
      Exchange read = readingWithAStaleAndTheLiveCookie(true);

      assertThat(read.line("requested-from-cookie")).isEqualTo("true");
      assertNoCookie(read);
    }

    @Test
    void with_the_live_cookie_first_and_a_stale_one_second_the_requested_id_is_the_live_one() {
      Exchange read = readingWithAStaleAndTheLiveCookie(false);

      assertStatements(read, "SELECT");
    }

    /**
     * Reads a live session with a stale cookie of the same name before or after the live one, and
     * checks that the request read the live session and names it as the requested id.
     *
     * @return the exchange, for what else the test checks
     */
    private Exchange readingWithAStaleAndTheLiveCookie(boolean staleFirst) {
      String stale = staleId();
      String live = http.newSession("set:k:v");
      String cookies =
          staleFirst ? cookie(stale) + "; " + cookie(live) : cookie(live) + "; " + cookie(stale);

      Exchange read = ok(http.request(script("requested", "get:k"), cookies));

      assertThat(read.line("k")).isEqualTo("v");
      assertSameId(read.line("requested"), live, "getRequestedSessionId()");
      assertThat(read.line("requested-valid")).isEqualTo("true");
      return read;
    }

    @Test
    void with_only_a_stale_cookie_the_requested_id_is_that_cookie_and_it_is_not_valid() {
      String stale = staleId();

      Exchange read = ok(http.as(stale, "requested", "peek"));

      assertSameId(read.line("requested"), stale, "getRequestedSessionId()");
      assertThat(read.line("requested-valid")).isEqualTo("false");
      assertThat(read.line("session")).isEqualTo("none");
    }

    @Test
    void without_a_session_cookie_there_is_no_requested_id_and_no_statement() {
      Exchange read = ok(http.request(script("requested")));

      assertThat(read.line("requested")).isEqualTo("none");
      assertThat(read.line("requested-valid")).isEqualTo("false");
      assertThat(read.line("requested-from-cookie")).isEqualTo("false");
      assertStatements(read);
    }
  }
}

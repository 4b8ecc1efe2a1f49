package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link jakarta.servlet.http.HttpSession} lifecycle as the Servlet specification and its users
 * expect it, over real HTTP on both backends: creation and last access times, a per-session timeout
 * that is kept and never stretched (zero or less: never times out), error pages and forwards that
 * see the request's session, {@code getId()} after {@code invalidate()}, and the requested id when
 * several cookies are sent. Everything {@link SessionFilterContract} checks runs too.
 *
 * <p>No assertion message names a session id: ids are compared with {@link #assertSameId}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class HttpSessionContract extends SessionFilterContract {

  /** A timeout shorter than the layer's, in seconds, as an admin area or a payment step sets. */
  private static final int SHORT = 60;

  /**
   * Asserts that a session id a page reported is the expected one, without printing either.
   *
   * @param actual the reported id
   * @param expected the expected id
   * @param what what the reported id is, for the message
   */
  protected static void assertSameId(String actual, String expected, String what) {
    assertThat(expected.equals(actual)).as("%s is the expected session id", what).isTrue();
  }

  /**
   * Reads an epoch-millisecond line of a test servlet's body.
   *
   * @param exchange the exchange
   * @param key such as {@code created}
   * @return the instant
   */
  protected static Instant instant(Exchange exchange, String key) {
    String millis = exchange.line(key);
    assertThat(millis).as("the %s line of %s", key, exchange).isNotNull().matches("-?\\d+");
    return Instant.ofEpochMilli(Long.parseLong(millis));
  }

  private SessionRecord record(String id) {
    return stored(id).orElseThrow(() -> new AssertionError("no live session"));
  }

  @Nested
  @DisplayName("creation and last access times")
  class Lifecycle {

    @Test
    void the_creation_time_on_later_requests_is_when_the_first_request_created_the_session() {
      String id = newSession("set:k:v");

      clock.advance(Duration.ofHours(1));
      Exchange read = ok(as(id, "created"));
      clock.advance(Duration.ofHours(1));
      ok(as(id, "set:k:w"));
      clock.advance(Duration.ofHours(1));
      Exchange afterWrite = ok(as(id, "created"));

      assertThat(instant(read, "created")).isEqualTo(START);
      assertThat(instant(afterWrite, "created")).isEqualTo(START);
      assertThat(record(id).createdAt()).contains(START);
    }

    @Test
    void the_last_accessed_time_is_the_time_of_the_previous_request_that_wrote_the_session() {
      String id = newSession("set:k:v");
      Instant t1 = clock.advance(Duration.ofHours(1));
      Exchange write = ok(as(id, "accessed", "set:k:w"));
      Instant t2 = clock.advance(Duration.ofHours(1));

      Exchange read = ok(as(id, "accessed", "created"));

      // the writing request at t1 still sees the creation request's time
      assertThat(instant(write, "accessed")).isEqualTo(START);
      // the read at t2 sees the write at t1: not its own time, not the creation time
      assertThat(instant(read, "accessed")).isEqualTo(t1).isNotEqualTo(t2);
      assertThat(instant(read, "created")).isEqualTo(START);
      assertStatements(read, "SELECT");
      assertThat(record(id).lastAccessedAt()).contains(t1);
    }

    @Test
    void a_new_sessions_creation_and_last_accessed_times_are_the_time_of_the_creating_request() {
      Instant now = clock.advance(Duration.ofMinutes(5));

      Exchange created = ok(request(script("set:k:v", "created", "accessed")));

      assertThat(instant(created, "created")).isEqualTo(now);
      assertThat(instant(created, "accessed")).isEqualTo(now);
      SessionRecord stored = record(onlyCookie(created).value());
      assertThat(stored.createdAt()).contains(now);
      assertThat(stored.lastAccessedAt()).contains(now);
    }
  }

  @Nested
  @DisplayName("the session's own timeout")
  class Timeouts {

    @Test
    void without_an_own_timeout_a_session_reports_the_layers_expiry() {
      String id = newSession("set:k:v");

      Exchange read = ok(as(id, "timeout"));

      assertThat(read.line("timeout")).isEqualTo(Long.toString(EXPIRY.toSeconds()));
      assertThat(record(id).maxInactiveInterval()).isEmpty();
    }

    @Test
    void get_max_inactive_interval_reports_600_on_later_requests_after_set_max_inactive_interval() {
      String id = newSession("set:k:v", "set-timeout:600");

      clock.advance(Duration.ofMinutes(1));
      Exchange first = ok(as(id, "timeout"));
      clock.advance(Duration.ofMinutes(1));
      Exchange second = ok(as(id, "timeout"));

      assertThat(first.line("timeout")).isEqualTo("600");
      assertThat(second.line("timeout")).isEqualTo("600");
      assertStatements(first, "SELECT");
      assertStatements(second, "SELECT");
      SessionRecord stored = record(id);
      assertThat(stored.maxInactiveInterval()).contains(Duration.ofSeconds(600));
      assertThat(stored.expiryDate()).isEqualTo(START.plusSeconds(600));
    }

    @Test
    void a_timeout_set_on_an_existing_session_is_stored_with_one_update_and_applies_at_once() {
      String id = newSession("set:k:v");
      Instant now = clock.advance(Duration.ofMinutes(5));

      Exchange shortened = ok(as(id, "set-timeout:" + SHORT, "timeout"));

      assertThat(shortened.line("timeout")).isEqualTo(Integer.toString(SHORT));
      assertStatements(shortened, "SELECT", "UPDATE");
      assertNoCookie(shortened);
      assertThat(record(id).expiryDate()).isEqualTo(now.plusSeconds(SHORT));
      assertThat(record(id).maxInactiveInterval()).contains(Duration.ofSeconds(SHORT));
    }

    @Test
    void a_read_after_half_of_a_60_second_timeout_extends_the_expiry_by_60_seconds_not_14_days() {
      String id = newSession("set:k:v", "set-timeout:" + SHORT);
      assertThat(record(id).expiryDate()).isEqualTo(START.plusSeconds(SHORT));

      Instant now = clock.advance(Duration.ofSeconds(31));
      Exchange read = ok(as(id, "get:k", "timeout"));

      assertThat(read.line("k")).isEqualTo("v");
      assertThat(read.line("timeout")).isEqualTo(Integer.toString(SHORT));
      assertStatements(read, "SELECT", "UPDATE");
      SessionRecord stored = record(id);
      assertThat(stored.expiryDate()).isEqualTo(now.plusSeconds(SHORT)).isBefore(now.plus(EXPIRY));
      assertThat(stored.maxInactiveInterval()).contains(Duration.ofSeconds(SHORT));
    }

    @Test
    void until_half_of_a_60_second_timeout_has_passed_a_read_costs_one_select_and_writes_nothing() {
      String id = newSession("set:k:v", "set-timeout:" + SHORT);
      SessionRecord before = record(id);

      clock.advance(Duration.ofSeconds(29));
      Exchange early = ok(as(id, "get:k"));
      clock.set(START.plusSeconds(SHORT / 2));
      Exchange atHalf = ok(as(id, "get:k"));

      assertThat(early.line("k")).isEqualTo("v");
      assertThat(atHalf.line("k")).isEqualTo("v");
      assertStatements(early, "SELECT");
      assertStatements(atHalf, "SELECT");
      assertNoCookie(early);
      assertNoCookie(atHalf);
      assertThat(record(id)).isEqualTo(before);
    }

    @Test
    void a_session_with_a_60_second_timeout_is_gone_61_seconds_after_its_last_write() {
      String id = newSession("set:k:v", "set-timeout:" + SHORT);

      clock.advance(Duration.ofSeconds(29));
      Exchange stillLive = ok(as(id, "get:k"));
      clock.set(START.plusSeconds(SHORT + 1));
      Exchange expired = ok(as(id, "peek", "get:k"));

      assertThat(stillLive.line("k")).isEqualTo("v");
      assertThat(expired.line("session")).isEqualTo("none");
      assertThat(expired.line("k")).isEqualTo("<no session>");
      assertStatements(expired, "SELECT");
      assertThat(stored(id)).isEmpty();
    }

    @Test
    void a_write_keeps_the_own_timeout_and_extends_the_expiry_by_it() {
      String id = newSession("set:k:v", "set-timeout:" + SHORT);

      Instant now = clock.advance(Duration.ofSeconds(10));
      Exchange write = ok(as(id, "set:k:w"));
      Exchange read = ok(as(id, "timeout"));

      assertStatements(write, "SELECT", "UPDATE");
      assertThat(read.line("timeout")).isEqualTo(Integer.toString(SHORT));
      assertThat(record(id).expiryDate()).isEqualTo(now.plusSeconds(SHORT));
      assertThat(record(id).maxInactiveInterval()).contains(Duration.ofSeconds(SHORT));
    }

    @ParameterizedTest(name = "setMaxInactiveInterval({0})")
    @ValueSource(ints = {0, -1})
    void a_timeout_of_zero_or_less_means_the_session_never_times_out(int timeout) {
      String id = newSession("set:k:v", "set-timeout:" + timeout);
      assertThat(record(id).expiryDate()).isEqualTo(SessionRecord.MAX_EXPIRY);
      assertThat(record(id).neverTimesOut()).isTrue();

      clock.advance(Duration.ofDays(366));
      Exchange yearLater = ok(as(id, "get:k", "timeout"));

      assertThat(yearLater.line("k")).isEqualTo("v");
      // getMaxInactiveInterval reports the stored own timeout, as it was set
      assertThat(yearLater.line("timeout")).isEqualTo(Integer.toString(timeout));
      // nothing to refresh: a read still costs one SELECT and no write
      assertStatements(yearLater, "SELECT");
      assertThat(record(id).expiryDate()).isEqualTo(SessionRecord.MAX_EXPIRY);
      assertThat(record(id).maxInactiveInterval()).contains(Duration.ofSeconds(timeout));
    }

    @ParameterizedTest(name = "setMaxInactiveInterval({0})")
    @ValueSource(ints = {0, -1})
    void the_expired_session_cleanup_never_removes_a_session_that_never_times_out(int timeout) {
      String forever = newSession("set:k:v", "set-timeout:" + timeout);
      String ordinary = newSession("set:k:v");
      ok(as(forever, "set:k:w"));

      clock.advance(Duration.ofDays(366));
      int deleted = store.deleteExpired();

      // the cleanup ran: the session with the layer's expiry is gone
      assertThat(deleted).isEqualTo(1);
      assertThat(rows(ordinary)).isZero();
      assertThat(rows(forever)).isEqualTo(1);
      assertThat(ok(as(forever, "get:k")).line("k")).isEqualTo("w");
    }

    @Test
    void a_session_that_never_timed_out_times_out_again_once_given_a_positive_timeout() {
      String id = newSession("set:k:v", "set-timeout:0");
      Instant now = clock.advance(Duration.ofDays(30));

      Exchange limited = ok(as(id, "set-timeout:" + SHORT));

      assertStatements(limited, "SELECT", "UPDATE");
      assertThat(record(id).expiryDate()).isEqualTo(now.plusSeconds(SHORT));
      clock.advance(Duration.ofSeconds(SHORT + 1));
      assertThat(ok(as(id, "peek")).line("session")).isEqualTo("none");
    }
  }

  @Nested
  @DisplayName("error pages and forwards")
  class ErrorPages {

    @Test
    void an_error_page_after_send_error_404_sees_the_stored_session_of_a_logged_in_user() {
      String id = newSession("set:user_id:alice");

      Exchange notFound = as(id, "error:404");

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
      Exchange notFound = request(script("set:cart:apple", "error:404"));

      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.line("dispatch")).isEqualTo("ERROR");
      String id = onlyCookie(notFound).value();
      assertSameId(notFound.line("session"), id, "the session the error page sees");
      assertThat(notFound.line("cart")).isEqualTo("apple");
      assertThat(notFound.verbs()).filteredOn("INSERT"::equals).hasSize(1);
      assertStatements(notFound, "INSERT");
      assertThat(database.sessionRowCount()).isEqualTo(1);
      assertThat(storedData(id)).isEqualTo(Map.of("cart", "apple"));
      assertThat(ok(as(id, "get:cart")).line("cart")).isEqualTo("apple");
    }

    @Test
    void changes_made_before_send_error_are_saved_once_and_the_error_page_sees_them() {
      String id = newSession("set:user_id:alice");

      Exchange notFound = as(id, "set:last:search", "error:404");

      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.line("last")).isEqualTo("search");
      assertThat(notFound.line("user_id")).isEqualTo("alice");
      assertStatements(notFound, "SELECT", "UPDATE");
      assertNoCookie(notFound);
      assertThat(storedData(id)).isEqualTo(Map.of("user_id", "alice", "last", "search"));
    }

    @Test
    void an_error_page_without_a_session_costs_no_statement_and_creates_none() {
      Exchange notFound = request(script("error:404"));

      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.line("dispatch")).isEqualTo("ERROR");
      assertThat(notFound.line("session")).isEqualTo("none");
      assertStatements(notFound);
      assertNoCookie(notFound);
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void a_forward_target_sees_the_session_the_request_created_which_is_inserted_once() {
      Exchange forwarded =
          ok(request(script("set:cart:apple", "forward:" + FilterServer.SESSION_PAGE)));

      assertThat(forwarded.line("dispatch")).isEqualTo("FORWARD");
      String id = onlyCookie(forwarded).value();
      assertSameId(forwarded.line("session"), id, "the session the forward target sees");
      assertThat(forwarded.line("cart")).isEqualTo("apple");
      assertStatements(forwarded, "INSERT");
      assertThat(storedData(id)).isEqualTo(Map.of("cart", "apple"));
    }
  }

  @Nested
  @DisplayName("after invalidation")
  class AfterInvalidation {

    @Test
    void get_id_after_invalidate_returns_the_old_id_and_the_other_accessors_still_throw() {
      String id = newSession("set:k:v");

      Exchange logout = ok(as(id, "id-after-invalidate"));

      assertSameId(logout.line("id-after-invalidate"), id, "getId() after invalidate()");
      assertThat(logout.lines())
          .containsEntry("after-invalidate:getAttribute", "IllegalStateException")
          .containsEntry("after-invalidate:getAttributeNames", "IllegalStateException")
          .containsEntry("after-invalidate:setAttribute", "IllegalStateException")
          .containsEntry("after-invalidate:removeAttribute", "IllegalStateException")
          .containsEntry("after-invalidate:getCreationTime", "IllegalStateException")
          .containsEntry("after-invalidate:getLastAccessedTime", "IllegalStateException")
          .containsEntry("after-invalidate:isNew", "IllegalStateException")
          .containsEntry("after-invalidate:invalidate", "IllegalStateException");
      assertStatements(logout, "SELECT", "DELETE");
      assertThat(onlyCookie(logout).expires()).isTrue();
      assertThat(rows(id)).isZero();
    }

    @Test
    void get_id_after_invalidating_a_session_created_by_the_same_request_returns_its_id() {
      Exchange created = ok(request(script("set:k:v", "peek", "id-after-invalidate")));

      assertThat(created.line("id-after-invalidate")).isNotEqualTo("<no session>");
      assertSameId(
          created.line("id-after-invalidate"),
          created.line("session"),
          "getId() after invalidate()");
      assertThat(SessionId.parse(created.line("id-after-invalidate"))).isPresent();
      assertThat(created.line("after-invalidate:getAttribute")).isEqualTo("IllegalStateException");
      assertStatements(created);
      assertNoCookie(created);
      assertThat(database.sessionRowCount()).isZero();
    }
  }

  @Nested
  @DisplayName("the requested session id")
  class RequestedId {

    /** A well-formed id that once named a session and no longer does: logged out. */
    private String staleId() {
      String stale = newSession("set:k:old");
      ok(as(stale, "invalidate"));
      assertThat(rows(stale)).isZero();
      return stale;
    }

    @Test
    void with_a_stale_cookie_first_and_the_live_one_second_the_requested_id_is_the_live_one() {
      String stale = staleId();
      String live = newSession("set:k:v");

      Exchange read =
          ok(request(script("requested", "get:k"), cookie(stale) + "; " + cookie(live)));

      assertThat(read.line("k")).isEqualTo("v");
      assertSameId(read.line("requested"), live, "getRequestedSessionId()");
      assertThat(read.line("requested-valid")).isEqualTo("true");
      assertThat(read.line("requested-from-cookie")).isEqualTo("true");
      assertNoCookie(read);
    }

    @Test
    void with_the_live_cookie_first_and_a_stale_one_second_the_requested_id_is_the_live_one() {
      String stale = staleId();
      String live = newSession("set:k:v");

      Exchange read =
          ok(request(script("requested", "get:k"), cookie(live) + "; " + cookie(stale)));

      assertThat(read.line("k")).isEqualTo("v");
      assertSameId(read.line("requested"), live, "getRequestedSessionId()");
      assertThat(read.line("requested-valid")).isEqualTo("true");
      assertStatements(read, "SELECT");
    }

    @Test
    void with_only_a_stale_cookie_the_requested_id_is_that_cookie_and_it_is_not_valid() {
      String stale = staleId();

      Exchange read = ok(as(stale, "requested", "peek"));

      assertSameId(read.line("requested"), stale, "getRequestedSessionId()");
      assertThat(read.line("requested-valid")).isEqualTo("false");
      assertThat(read.line("session")).isEqualTo("none");
    }

    @Test
    void without_a_session_cookie_there_is_no_requested_id_and_no_statement() {
      Exchange read = ok(request(script("requested")));

      assertThat(read.line("requested")).isEqualTo("none");
      assertThat(read.line("requested-valid")).isEqualTo("false");
      assertThat(read.line("requested-from-cookie")).isEqualTo("false");
      assertStatements(read);
    }
  }

  @Nested
  @DisplayName("across nodes")
  class AcrossNodes {

    @Test
    void another_node_on_the_same_database_sees_the_same_creation_time_last_access_and_timeout() {
      String id = newSession("set:k:v", "set-timeout:600");
      SessionManagerLayer otherLayer = SessionManagerLayer.builder(otherNode).clock(clock).build();

      Instant t1 = clock.advance(Duration.ofMinutes(1));
      serve(otherLayer);
      Exchange onOther = ok(as(id, "created", "accessed", "timeout", "set:k:w"));
      clock.advance(Duration.ofMinutes(1));
      serve(layer);
      Exchange backHere = ok(as(id, "created", "accessed", "timeout", "get:k"));

      assertThat(instant(onOther, "created")).isEqualTo(START);
      assertThat(instant(onOther, "accessed")).isEqualTo(START);
      assertThat(onOther.line("timeout")).isEqualTo("600");
      assertThat(instant(backHere, "created")).isEqualTo(START);
      assertThat(instant(backHere, "accessed")).isEqualTo(t1);
      assertThat(backHere.line("timeout")).isEqualTo("600");
      assertThat(backHere.line("k")).isEqualTo("w");
      assertThat(record(id).expiryDate()).isEqualTo(t1.plusSeconds(600));
      assertThat(record(id).createdAt()).contains(START);
    }
  }
}

package app.getbodhi.session.tests.servlet;

import static app.getbodhi.session.tests.servlet.FilterAssertions.assertNoCookie;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertStatements;
import static app.getbodhi.session.tests.servlet.FilterAssertions.instant;
import static app.getbodhi.session.tests.servlet.FilterAssertions.ok;
import static app.getbodhi.session.tests.servlet.FilterAssertions.onlyCookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.EXPIRY;
import static app.getbodhi.session.tests.servlet.FilterHarness.GRANULARITY;
import static app.getbodhi.session.tests.servlet.FilterHarness.START;
import static app.getbodhi.session.tests.servlet.FilterHarness.script;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link jakarta.servlet.http().HttpSession} lifecycle groups of {@link SessionFilterContract},
 * run per backend as its {@code Lifecycle}, {@code Timeouts} and {@code AcrossNodes} classes: a
 * session keeps its creation time, last access time and own timeout across requests and nodes, and
 * the refresh uses that timeout, so a shortened one is never stretched (zero or less: never times
 * out). What they check is stored in each backend's own column types.
 */
final class LifecycleGroups {

  private LifecycleGroups() {}

  /**
   * What every group here holds: the harness of the backend it runs on. Reached through {@link
   * #http()}, so the nested classes that extend a group never clash with their outer {@code http}.
   */
  abstract static class Group {

    private final FilterHarness http;

    Group(FilterHarness http) {
      this.http = Objects.requireNonNull(http, "http");
    }

    final FilterHarness http() {
      return http;
    }
  }

  /** Creation and last access times. */
  abstract static class Times extends Group {

    Times(FilterHarness http) {
      super(http);
    }

    @Test
    void the_creation_time_on_later_requests_is_when_the_first_request_created_the_session() {
      String id = http().newSession("set:k:v");

      http().clock().advance(Duration.ofHours(1));
      Exchange read = ok(http().as(id, "created"));
      http().clock().advance(Duration.ofHours(1));
      ok(http().as(id, "set:k:w"));
      http().clock().advance(Duration.ofHours(1));
      Exchange afterWrite = ok(http().as(id, "created"));

      assertThat(instant(read, "created")).isEqualTo(START);
      assertThat(instant(afterWrite, "created")).isEqualTo(START);
      assertThat(http().record(id).createdAt()).contains(START);
    }

    @Test
    void the_last_accessed_time_is_the_time_of_the_previous_request_that_wrote_the_session() {
      String id = http().newSession("set:k:v");
      Instant t1 = http().clock().advance(Duration.ofHours(1));
      Exchange write = ok(http().as(id, "accessed", "set:k:w"));
      // within the granularity of the write: the read writes nothing
      Instant t2 = http().clock().advance(GRANULARITY.minusSeconds(1));

      Exchange read = ok(http().as(id, "accessed", "created"));

      // the writing request at t1 still sees the creation request's time
      assertThat(instant(write, "accessed")).isEqualTo(START);
      // the read at t2 sees the write at t1: not its own time, not the creation time
      assertThat(instant(read, "accessed")).isEqualTo(t1).isNotEqualTo(t2);
      assertThat(instant(read, "created")).isEqualTo(START);
      assertStatements(read, "SELECT");
      assertThat(http().record(id).lastAccessedAt()).contains(t1);
    }

    @Test
    void a_new_sessions_creation_and_last_accessed_times_are_the_time_of_the_creating_request() {
      Instant now = http().clock().advance(Duration.ofMinutes(5));

      Exchange created = ok(http().request(script("set:k:v", "created", "accessed")));

      assertThat(instant(created, "created")).isEqualTo(now);
      assertThat(instant(created, "accessed")).isEqualTo(now);
      SessionRecord stored = http().record(onlyCookie(created).value());
      assertThat(stored.createdAt()).contains(now);
      assertThat(stored.lastAccessedAt()).contains(now);
    }
  }

  /** The session's own timeout ({@code setMaxInactiveInterval}). */
  abstract static class OwnTimeout extends Group {

    /** A timeout shorter than the layer's, in seconds, as an admin area or a payment step sets. */
    private static final int SHORT = 60;

    /** The access granularity of a session with the {@link #SHORT} timeout: a tenth of it. */
    private static final Duration SHORT_G = Duration.ofSeconds(SHORT / 10);

    /** How long after its last write a session with the {@link #SHORT} timeout lives. */
    private static final Duration SHORT_LIFE = Duration.ofSeconds(SHORT).plus(SHORT_G);

    OwnTimeout(FilterHarness http) {
      super(http);
    }

    @Test
    void without_an_own_timeout_a_session_reports_the_layers_expiry() {
      String id = http().newSession("set:k:v");

      Exchange read = ok(http().as(id, "timeout"));

      assertThat(read.line("timeout")).isEqualTo(Long.toString(EXPIRY.toSeconds()));
      assertThat(http().record(id).maxInactiveInterval()).isEmpty();
    }

    @Test
    void get_max_inactive_interval_reports_600_on_later_requests_after_set_max_inactive_interval() {
      String id = http().newSession("set:k:v", "set-timeout:600");

      // within a minute, the granularity of a 600-second timeout: reads that do not write
      http().clock().advance(Duration.ofSeconds(20));
      Exchange first = ok(http().as(id, "timeout"));
      http().clock().advance(Duration.ofSeconds(20));
      Exchange second = ok(http().as(id, "timeout"));

      assertThat(first.line("timeout")).isEqualTo("600");
      assertThat(second.line("timeout")).isEqualTo("600");
      assertStatements(first, "SELECT");
      assertStatements(second, "SELECT");
      SessionRecord stored = http().record(id);
      assertThat(stored.maxInactiveInterval()).contains(Duration.ofSeconds(600));
      assertThat(stored.expiryDate()).isEqualTo(START.plusSeconds(600 + 60));
    }

    @Test
    void a_timeout_set_on_an_existing_session_is_stored_with_one_update_and_applies_at_once() {
      String id = http().newSession("set:k:v");
      Instant now = http().clock().advance(Duration.ofMinutes(5));

      Exchange shortened = ok(http().as(id, "set-timeout:" + SHORT, "timeout"));

      assertThat(shortened.line("timeout")).isEqualTo(Integer.toString(SHORT));
      assertStatements(shortened, "SELECT", "UPDATE");
      assertNoCookie(shortened);
      assertThat(http().record(id).expiryDate()).isEqualTo(now.plus(SHORT_LIFE));
      assertThat(http().record(id).maxInactiveInterval()).contains(Duration.ofSeconds(SHORT));
    }

    @Test
    void a_read_7_seconds_after_the_write_extends_a_60_second_timeout_by_66_seconds_not_14_days() {
      String id = http().newSession("set:k:v", "set-timeout:" + SHORT);
      assertThat(http().record(id).expiryDate()).isEqualTo(START.plus(SHORT_LIFE));

      Instant now = http().clock().advance(SHORT_G.plusSeconds(1));
      Exchange read = ok(http().as(id, "get:k", "timeout"));

      assertThat(read.line("k")).isEqualTo("v");
      assertThat(read.line("timeout")).isEqualTo(Integer.toString(SHORT));
      assertStatements(read, "SELECT", "UPDATE");
      SessionRecord stored = http().record(id);
      assertThat(stored.expiryDate()).isEqualTo(now.plus(SHORT_LIFE)).isBefore(now.plus(EXPIRY));
      assertThat(stored.maxInactiveInterval()).contains(Duration.ofSeconds(SHORT));
    }

    @Test
    void within_6_seconds_of_the_write_a_read_of_a_60_second_session_costs_one_select_only() {
      String id = http().newSession("set:k:v", "set-timeout:" + SHORT);
      SessionRecord before = http().record(id);

      http().clock().advance(SHORT_G.minusSeconds(1));
      Exchange early = ok(http().as(id, "get:k"));
      http().clock().set(START.plus(SHORT_G));
      Exchange atGranularity = ok(http().as(id, "get:k"));

      assertThat(early.line("k")).isEqualTo("v");
      assertThat(atGranularity.line("k")).isEqualTo("v");
      assertStatements(early, "SELECT");
      assertStatements(atGranularity, "SELECT");
      assertNoCookie(early);
      assertNoCookie(atGranularity);
      assertThat(http().record(id)).isEqualTo(before);
    }

    @Test
    void a_session_with_a_60_second_timeout_is_gone_67_seconds_after_its_last_write() {
      String id = http().newSession("set:k:v", "set-timeout:" + SHORT);

      http().clock().advance(SHORT_G.minusSeconds(1));
      Exchange stillLive = ok(http().as(id, "get:k"));
      http().clock().set(START.plus(SHORT_LIFE).plusSeconds(1));
      Exchange expired = ok(http().as(id, "peek", "get:k"));

      assertThat(stillLive.line("k")).isEqualTo("v");
      assertThat(expired.line("session")).isEqualTo("none");
      assertThat(expired.line("k")).isEqualTo("<no session>");
      assertStatements(expired, "SELECT");
      assertThat(http().stored(id)).isEmpty();
    }

    @Test
    void a_write_keeps_the_own_timeout_and_extends_the_expiry_by_it() {
      String id = http().newSession("set:k:v", "set-timeout:" + SHORT);

      Instant now = http().clock().advance(Duration.ofSeconds(10));
      Exchange write = ok(http().as(id, "set:k:w"));
      Exchange read = ok(http().as(id, "timeout"));

      assertStatements(write, "SELECT", "UPDATE");
      assertThat(read.line("timeout")).isEqualTo(Integer.toString(SHORT));
      assertThat(http().record(id).expiryDate()).isEqualTo(now.plus(SHORT_LIFE));
      assertThat(http().record(id).maxInactiveInterval()).contains(Duration.ofSeconds(SHORT));
    }

    @ParameterizedTest(name = "setMaxInactiveInterval({0})")
    @ValueSource(ints = {0, -1})
    void a_timeout_of_zero_or_less_means_the_session_never_times_out(int timeout) {
      String id = http().newSession("set:k:v", "set-timeout:" + timeout);
      assertThat(http().record(id).expiryDate()).isEqualTo(SessionRecord.MAX_EXPIRY);
      assertThat(http().record(id).neverTimesOut()).isTrue();

      http().clock().advance(Duration.ofDays(366));
      Exchange yearLater = ok(http().as(id, "get:k", "timeout"));

      assertThat(yearLater.line("k")).isEqualTo("v");
      // getMaxInactiveInterval reports the stored own timeout, as it was set
      assertThat(yearLater.line("timeout")).isEqualTo(Integer.toString(timeout));
      // nothing to refresh: a read still costs one SELECT and no write
      assertStatements(yearLater, "SELECT");
      assertThat(http().record(id).expiryDate()).isEqualTo(SessionRecord.MAX_EXPIRY);
      assertThat(http().record(id).maxInactiveInterval()).contains(Duration.ofSeconds(timeout));
    }

    @ParameterizedTest(name = "setMaxInactiveInterval({0})")
    @ValueSource(ints = {0, -1})
    void the_expired_session_cleanup_never_removes_a_session_that_never_times_out(int timeout) {
      String forever = http().newSession("set:k:v", "set-timeout:" + timeout);
      String ordinary = http().newSession("set:k:v");
      ok(http().as(forever, "set:k:w"));

      http().clock().advance(Duration.ofDays(366));
      int deleted = http().store().deleteExpired();

      // the cleanup ran: the session with the layer's expiry is gone
      assertThat(deleted).isEqualTo(1);
      assertThat(http().rows(ordinary)).isZero();
      assertThat(http().rows(forever)).isEqualTo(1);
      assertThat(ok(http().as(forever, "get:k")).line("k")).isEqualTo("w");
    }

    @Test
    void a_session_that_never_timed_out_times_out_again_once_given_a_positive_timeout() {
      String id = http().newSession("set:k:v", "set-timeout:0");
      Instant now = http().clock().advance(Duration.ofDays(30));

      Exchange limited = ok(http().as(id, "set-timeout:" + SHORT));

      assertStatements(limited, "SELECT", "UPDATE");
      assertThat(http().record(id).expiryDate()).isEqualTo(now.plus(SHORT_LIFE));
      http().clock().advance(SHORT_LIFE.plusSeconds(1));
      assertThat(ok(http().as(id, "peek")).line("session")).isEqualTo("none");
    }
  }

  /**
   * The idle timeout's bounds: a session lives at least its timeout after its last request, however
   * its reads fall between writes, and at most its timeout plus its access granularity; its last
   * access time is within the granularity of the latest earlier request. Whether a session is still
   * live is asked of the other node at a moved clock, since a request would itself extend it.
   */
  abstract static class IdleBounds extends Group {

    /** The session's own timeout in these tests: 60 seconds, so its granularity is 6 seconds. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Duration G = TIMEOUT.dividedBy(10);

    private static final Duration MILLI = Duration.ofMillis(1);

    IdleBounds(FilterHarness http) {
      super(http);
    }

    /**
     * Checks that the session is live until {@code TIMEOUT} after {@code last} and gone after G.
     */
    private void assertLivesAtLeastTheTimeoutAndAtMostG(
        String id, Instant last, Duration timeout, Duration g) {
      SessionRecord stored = http().record(id);
      assertThat(stored.expiryDate())
          .as("the expiry after a request at %s", last)
          .isBetween(last.plus(timeout), last.plus(timeout).plus(g));
      http().clock().set(last.plus(timeout).minus(MILLI));
      assertThat(http().stored(id)).as("live just before its timeout has passed").isPresent();
      http().clock().set(last.plus(timeout).plus(g).plus(MILLI));
      assertThat(http().stored(id)).as("gone once its timeout and the slack have passed").isEmpty();
    }

    @ParameterizedTest(name = "a read {0} ms after the write")
    @ValueSource(longs = {1_000, 5_999, 6_000, 6_001, 29_000, 31_000, 59_000})
    void a_session_lives_its_timeout_after_its_last_request_and_at_most_the_granularity_longer(
        long offsetMillis) {
      String id = http().newSession("set:k:v", "set-timeout:" + TIMEOUT.toSeconds());

      Instant last = START.plusMillis(offsetMillis);
      http().clock().set(last);
      Exchange read = ok(http().as(id, "get:k"));

      assertThat(read.line("k")).isEqualTo("v");
      // the read writes only once the write is older than the granularity
      if (offsetMillis <= G.toMillis()) {
        assertStatements(read, "SELECT");
      } else {
        assertStatements(read, "SELECT", "UPDATE");
      }
      assertNoCookie(read);
      assertLivesAtLeastTheTimeoutAndAtMostG(id, last, TIMEOUT, G);
    }

    @Test
    void with_the_layers_14_day_timeout_a_read_a_day_later_keeps_the_session_14_days_after_it() {
      String id = http().newSession("set:k:v");

      Instant last = http().clock().advance(Duration.ofDays(1));
      Exchange read = ok(http().as(id, "get:k"));

      assertThat(read.line("k")).isEqualTo("v");
      assertStatements(read, "SELECT", "UPDATE");
      assertLivesAtLeastTheTimeoutAndAtMostG(id, last, EXPIRY, GRANULARITY);
    }

    @Test
    void reads_every_5_seconds_keep_a_60_second_session_alive_with_a_write_every_few_reads() {
      String id = http().newSession("set:k:v", "set-timeout:" + TIMEOUT.toSeconds());

      List<Integer> writes = new ArrayList<>();
      Instant last = START;
      for (int i = 1; i <= 24; i++) {
        last = http().clock().advance(Duration.ofSeconds(5));
        Exchange read = ok(http().as(id, "get:k"));
        assertThat(read.line("k")).as("read %d", i).isEqualTo("v");
        if (read.verbs().contains("UPDATE")) {
          writes.add(i);
        }
      }

      // two minutes of reads, twice the timeout: a write every second read, not on every read
      assertThat(writes).hasSize(12);
      assertLivesAtLeastTheTimeoutAndAtMostG(id, last, TIMEOUT, G);
    }

    @Test
    void the_last_accessed_time_is_within_the_granularity_of_the_latest_earlier_request() {
      String id = http().newSession("set:k:v", "set-timeout:" + TIMEOUT.toSeconds());

      Instant previous = START;
      for (int second : new int[] {5, 7, 11, 20, 21, 30, 45}) {
        http().clock().set(START.plusSeconds(second));
        Exchange read = ok(http().as(id, "accessed"));

        assertThat(instant(read, "accessed"))
            .as("the last access seen at second %d", second)
            .isBetween(previous.minus(G), previous);
        previous = START.plusSeconds(second);
      }
    }
  }

  /** Another node on the same database. */
  abstract static class AcrossNodes extends Group {

    AcrossNodes(FilterHarness http) {
      super(http);
    }

    @Test
    void another_node_on_the_same_database_sees_the_same_creation_time_last_access_and_timeout() {
      String id = http().newSession("set:k:v", "set-timeout:600");
      SessionManagerLayer otherLayer =
          SessionManagerLayer.builder(http().otherNode()).clock(http().clock()).build();

      Instant t1 = http().clock().advance(Duration.ofMinutes(1));
      http().serve(otherLayer);
      Exchange onOther = ok(http().as(id, "created", "accessed", "timeout", "set:k:w"));
      http().clock().advance(Duration.ofMinutes(1));
      http().serve(http().layer());
      Exchange backHere = ok(http().as(id, "created", "accessed", "timeout", "get:k"));

      assertThat(instant(onOther, "created")).isEqualTo(START);
      assertThat(instant(onOther, "accessed")).isEqualTo(START);
      assertThat(onOther.line("timeout")).isEqualTo("600");
      assertThat(instant(backHere, "created")).isEqualTo(START);
      assertThat(instant(backHere, "accessed")).isEqualTo(t1);
      assertThat(backHere.line("timeout")).isEqualTo("600");
      assertThat(backHere.line("k")).isEqualTo("w");
      assertThat(http().record(id).expiryDate()).isEqualTo(t1.plusSeconds(600 + 60));
      assertThat(http().record(id).createdAt()).contains(START);
    }
  }
}

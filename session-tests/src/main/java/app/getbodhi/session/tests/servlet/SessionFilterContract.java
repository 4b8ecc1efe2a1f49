package app.getbodhi.session.tests.servlet;

import static app.getbodhi.session.tests.servlet.FilterAssertions.assertNoCookie;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertStatements;
import static app.getbodhi.session.tests.servlet.FilterAssertions.ok;
import static app.getbodhi.session.tests.servlet.FilterAssertions.onlyCookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.EXPIRY;
import static app.getbodhi.session.tests.servlet.FilterHarness.GRANULARITY;
import static app.getbodhi.session.tests.servlet.FilterHarness.START;
import static app.getbodhi.session.tests.servlet.FilterHarness.script;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.servlet.SessionManagerFilter;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.tests.servlet.TestServlets.ScriptServlet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link SessionManagerFilter} does for a servlet application over real HTTP where the store
 * matters, run once per backend: reading and the expiry refresh, writing, expired ids, rotating a
 * stored session, JSON values, the {@code user_id} column, store failures, concurrent requests, and
 * the {@link jakarta.servlet.http.HttpSession} lifecycle (creation and last access times, the
 * session's own timeout, another node's view). The harness is a {@link FilterHarness}: an embedded
 * Jetty running the test servlets behind the filter, and every statement the store runs counted.
 *
 * <p>What no backend can change (cookie attributes, laziness, forged cookies, invalidation, error
 * pages, forwards and includes, the requested id) runs on SQLite, on Jetty and on Tomcat, in
 * session-servlet's {@code HttpBehaviour}.
 *
 * <p>A JUnit 5 test kit like {@link app.getbodhi.session.tck.SessionStoreContract}: extend it for a
 * backend and say, in {@link #newHarness()}, which database and which store. The database is set up
 * as an application would (for SQLite: WAL); the layer's store and the other node both run on its
 * {@link TestDatabase#dataSource() pool}.
 *
 * <pre>{@code
 * class SqliteSessionFilterTest extends SessionFilterContract {
 *   protected FilterHarness newHarness() {
 *     return FilterHarness.on(SqliteFixture.tempFile()).stores(SqliteSessionStore::new);
 *   }
 * }
 * }</pre>
 *
 * <p>Each test class gets a fresh database, migrated once; each test starts on an empty session
 * table with the clock at {@link FilterHarness#START} and its own server. The writing,
 * store-failure, concurrency and lifecycle groups are written in {@link WritingGroup}, {@link
 * StoreFailureGroup}, {@link ConcurrencyGroup} and {@link LifecycleGroups} and run here. No test
 * sleeps, and no assertion message names a session id.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SessionFilterContract extends HarnessLifecycle {

  @Nested
  @DisplayName("reading")
  class Reading {

    @Test
    void a_read_only_request_costs_exactly_one_select_and_sends_no_cookie() {
      String id = http.newSession("set:k:v");
      Instant expiry = http.stored(id).orElseThrow().expiryDate();

      Exchange read = ok(http.as(id, "get:k"));

      assertThat(read.line("k")).isEqualTo("v");
      assertStatements(read, "SELECT");
      assertNoCookie(read);
      assertThat(http.stored(id).orElseThrow().expiryDate()).isEqualTo(expiry);
    }

    @Test
    void reading_several_attributes_and_the_id_still_costs_one_select() {
      String id = http.newSession("set:a:1", "set:b:2");

      Exchange read = ok(http.as(id, "peek", "get:a", "get:b", "keys"));

      assertThat(read.lines())
          .containsEntry("session", id)
          .containsEntry("new", "false")
          .containsEntry("a", "1")
          .containsEntry("b", "2")
          .containsEntry("keys", "[a, b]");
      assertStatements(read, "SELECT");
      assertNoCookie(read);
    }

    @Test
    void setting_an_attribute_to_the_value_it_already_has_is_not_a_change() {
      String id = http.newSession("set:k:v");

      Exchange same = ok(http.as(id, "set:k:v"));

      assertStatements(same, "SELECT");
      assertNoCookie(same);
    }

    @Test
    void within_the_access_granularity_of_the_last_write_a_read_does_not_extend_the_expiry() {
      String id = http.newSession("set:k:v");
      Instant expiry = http.stored(id).orElseThrow().expiryDate();

      http.clock().advance(GRANULARITY.minusSeconds(1));
      Exchange early = ok(http.as(id, "get:k"));
      http.clock().set(START.plus(GRANULARITY));
      Exchange atGranularity = ok(http.as(id, "get:k"));

      assertThat(early.line("k")).isEqualTo("v");
      assertStatements(early, "SELECT");
      assertStatements(atGranularity, "SELECT");
      assertNoCookie(early);
      assertNoCookie(atGranularity);
      assertThat(http.stored(id).orElseThrow().expiryDate()).isEqualTo(expiry);
    }

    @Test
    void
        once_the_last_write_is_older_than_the_granularity_a_read_extends_the_expiry_with_one_update() {
      String id = http.newSession("set:k:v");

      Instant now = http.clock().advance(GRANULARITY.plusSeconds(1));
      Exchange late = ok(http.as(id, "get:k"));

      assertThat(late.line("k")).isEqualTo("v");
      assertStatements(late, "SELECT", "UPDATE");
      // a browser-session cookie needs no refresh
      assertNoCookie(late);
      SessionRecord extended = http.stored(id).orElseThrow();
      assertThat(extended.expiryDate()).isEqualTo(now.plus(EXPIRY).plus(GRANULARITY));
      assertThat(extended.lastAccessedAt()).contains(now);
      assertThat(extended.data()).isEqualTo(Map.of("k", "v"));

      // extended: the next read is cheap again
      Exchange next = ok(http.as(id, "get:k"));
      assertStatements(next, "SELECT");
      assertNoCookie(next);
    }

    @Test
    void with_a_max_age_the_extension_also_refreshes_the_cookie_with_the_same_slack() {
      http.serve(http.layer().toBuilder().maxAge(Duration.ofDays(14)).build());
      String id = http.newSession("set:k:v");

      Exchange early = ok(http.as(id, "get:k"));
      http.clock().advance(GRANULARITY.plusSeconds(1));
      Exchange late = ok(http.as(id, "get:k"));

      assertStatements(early, "SELECT");
      assertNoCookie(early);
      assertStatements(late, "SELECT", "UPDATE");
      SetCookie refreshed = onlyCookie(late);
      assertThat(refreshed.value()).isEqualTo(id);
      assertThat(refreshed.attribute("Max-Age"))
          .contains(Long.toString(Duration.ofDays(14).plus(GRANULARITY).toSeconds()));
    }
  }

  @Nested
  @DisplayName("writing")
  class Writing extends WritingGroup {
    Writing() {
      super(http);
    }
  }

  /** The forged cookie whose outcome rests on the store's expiry; the others run once. */
  @Nested
  @DisplayName("forged cookies")
  class ForgedCookies {

    @Test
    void an_expired_session_id_is_treated_as_no_session_and_not_reused() {
      String expired = http.newSession("set:k:old");
      http.clock().advance(EXPIRY.plus(GRANULARITY).plusMinutes(1));

      Exchange peek = ok(http.as(expired, "peek", "get:k"));
      Exchange created = ok(http.as(expired, "set:k:new", "peek"));

      assertThat(peek.line("session")).isEqualTo("none");
      assertThat(peek.line("k")).isEqualTo("<no session>");
      assertStatements(peek, "SELECT");
      assertNoCookie(peek);
      String id = onlyCookie(created).value();
      assertThat(id).isNotEqualTo(expired);
      assertThat(created.line("new")).isEqualTo("true");
      assertStatements(created, "SELECT", "INSERT");
      assertThat(http.storedData(id)).isEqualTo(Map.of("k", "new"));
      assertThat(http.stored(expired)).isEmpty();
    }
  }

  /**
   * Rotating a stored session: the store's atomic rotation and the {@code user_id} column it
   * writes. Rotation without a stored session runs once.
   */
  @Nested
  @DisplayName("session fixation")
  class Fixation {

    @Test
    void change_session_id_gives_a_new_id_keeps_the_data_and_removes_the_old_row() {
      String old = http.newSession("set:cart:apple", "set:user_id:alice");

      Exchange rotated = ok(http.as(old, "rotate", "peek"));

      String id = onlyCookie(rotated).value();
      assertThat(id).isNotEqualTo(old).isEqualTo(rotated.line("rotated"));
      assertThat(rotated.line("session")).isEqualTo(id);
      // one transaction: the old row is deleted only while live, and the new one inserted only then
      assertStatements(rotated, "SELECT", "DELETE", "INSERT");
      assertThat(http.storedData(id)).isEqualTo(Map.of("cart", "apple", "user_id", "alice"));
      assertThat(http.database().userIdColumn(http.refOf(id))).isEqualTo("alice");
      assertThat(http.rows(old)).isZero();
      assertThat(http.stored(old)).isEmpty();

      Exchange withOld = ok(http.as(old, "peek"));
      assertThat(withOld.line("session")).isEqualTo("none");
      assertNoCookie(withOld);
      assertThat(ok(http.as(id, "get:cart")).line("cart")).isEqualTo("apple");
    }

    @Test
    void a_login_that_rotates_and_changes_the_data_writes_both_under_the_new_id() {
      String anonymous = http.newSession("set:cart:apple");

      Exchange login = ok(http.as(anonymous, "set:user_id:bob", "rotate", "set:role:admin"));

      String id = onlyCookie(login).value();
      assertThat(id).isNotEqualTo(anonymous);
      assertThat(http.storedData(id))
          .isEqualTo(Map.of("cart", "apple", "user_id", "bob", "role", "admin"));
      assertThat(http.database().userIdColumn(http.refOf(id))).isEqualTo("bob");
      assertThat(http.rows(anonymous)).isZero();
    }
  }

  @Nested
  @DisplayName("values")
  class Values {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"object", "instant", "nested", "intKey"})
    void a_value_that_is_not_json_is_refused_naming_the_key_and_nothing_is_stored(String kind) {
      String id = http.newSession("set:k:v");
      SessionRecord before = http.stored(id).orElseThrow();

      Exchange refused = ok(http.as(id, "bad:prefs:" + kind, "keys"));

      assertThat(refused.line("rejected")).contains("prefs");
      assertThat(refused.line("keys")).isEqualTo("[k]");
      assertStatements(refused, "SELECT");
      assertNoCookie(refused);
      assertThat(http.stored(id)).contains(before);
    }

    @Test
    void a_refused_value_on_a_new_session_is_not_stored() {
      Exchange refused = ok(http.request(script("bad:when:instant", "keys")));

      assertThat(refused.line("rejected")).contains("when");
      assertThat(refused.line("keys")).isEqualTo("[]");
      // getSession() made the session; the refused value is not in it
      String id = onlyCookie(refused).value();
      assertThat(http.storedData(id)).isEmpty();
    }

    @Test
    void json_values_are_stored_as_json_and_read_back_equal() {
      String id = http.newSession("sample:prefs");

      assertThat(http.storedData(id)).isEqualTo(Map.of("prefs", ScriptServlet.sample()));
      assertThat(ok(http.as(id, "get:prefs")).line("prefs"))
          .isEqualTo(String.valueOf(ScriptServlet.sample()));
    }
  }

  @Nested
  @DisplayName("the user id")
  class UserId {

    @Test
    void setting_the_user_id_attribute_fills_the_user_id_column_and_removing_it_clears_it() {
      String id = http.newSession("set:cart:apple");
      SessionRef ref = http.refOf(id);
      assertThat(http.database().userIdColumn(ref)).isNull();

      ok(http.as(id, "set:user_id:alice"));
      assertThat(http.database().userIdColumn(ref)).isEqualTo("alice");

      ok(http.as(id, "remove:user_id"));
      assertThat(http.database().userIdColumn(ref)).isNull();
    }

    @Test
    void a_new_session_with_a_user_id_fills_the_column_at_once() {
      String id = http.newSession("set:user_id:alice");

      assertThat(http.database().userIdColumn(http.refOf(id))).isEqualTo("alice");
      assertThat(http.otherNode().countSessionsForUser("alice")).isEqualTo(1);
    }

    @Test
    void clearing_a_users_sessions_from_another_node_logs_them_out_on_their_next_request() {
      String laptop = http.newSession("set:user_id:alice");
      String phone = http.newSession("set:user_id:alice");
      String bob = http.newSession("set:user_id:bob");

      assertThat(http.otherNode().clearSessionsForUser("alice")).isEqualTo(2);

      for (String id : List.of(laptop, phone)) {
        Exchange next = ok(http.as(id, "peek", "get:user_id"));
        assertThat(next.line("session")).isEqualTo("none");
        assertThat(next.line("user_id")).isEqualTo("<no session>");
        assertStatements(next, "SELECT");
      }
      assertThat(ok(http.as(bob, "get:user_id")).line("user_id")).isEqualTo("bob");
      assertThat(http.database().sessionRowCount()).isEqualTo(1);
    }

    @Test
    void a_request_in_flight_when_the_user_is_cleared_does_not_bring_the_session_back()
        throws Exception {
      String id = http.newSession("set:user_id:alice");

      Gatekeeper.HeldRequest inFlight = http.gate().holdOne("?key=cart&value=apple", id);
      assertThat(http.otherNode().clearSessionsForUser("alice")).isEqualTo(1);
      HttpResponse<String> response = inFlight.release();

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("released=true\n");
      // no cookie that names a session: either none, or one that drops the dead cookie
      assertThat(response.headers().allValues("Set-Cookie"))
          .allSatisfy(header -> assertThat(SetCookie.parse(header).expires()).as(header).isTrue());
      assertThat(http.rows(id)).isZero();
      assertThat(http.database().sessionRowCount()).isZero();
      assertThat(ok(http.as(id, "peek")).line("session")).isEqualTo("none");
    }
  }

  @Nested
  @DisplayName("store failures")
  class StoreFailures extends StoreFailureGroup {
    StoreFailures() {
      super(http);
    }
  }

  @Nested
  @DisplayName("concurrency")
  class Concurrency extends ConcurrencyGroup {
    Concurrency() {
      super(http);
    }
  }

  @Nested
  @DisplayName("creation and last access times")
  class Lifecycle extends LifecycleGroups.Times {
    Lifecycle() {
      super(http);
    }
  }

  @Nested
  @DisplayName("the session's own timeout")
  class Timeouts extends LifecycleGroups.OwnTimeout {
    Timeouts() {
      super(http);
    }
  }

  @Nested
  @DisplayName("the idle timeout's bounds")
  class IdleTimeoutBounds extends LifecycleGroups.IdleBounds {
    IdleTimeoutBounds() {
      super(http);
    }
  }

  @Nested
  @DisplayName("across nodes")
  class AcrossNodes extends LifecycleGroups.AcrossNodes {
    AcrossNodes() {
      super(http);
    }
  }
}

package app.getbodhi.session.tests.servlet;

import static app.getbodhi.session.tests.servlet.FilterAssertions.ok;
import static app.getbodhi.session.tests.servlet.FilterAssertions.onlyCookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.BLOCK;
import static app.getbodhi.session.tests.servlet.FilterHarness.await;
import static app.getbodhi.session.tests.servlet.FilterHarness.cookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.script;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.tck.Concurrently;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The "concurrency" group of {@link SessionFilterContract}, run per backend as its {@code
 * Concurrency} class: parallel requests on one session lose no change to a different key, the last
 * writer of one key wins, and deletion wins over every write path (update, rotation, refresh).
 * Requests are held at the harness's gate after they loaded and changed the session, so the race is
 * forced, not hoped for.
 */
abstract class ConcurrencyGroup {

  private final FilterHarness http;

  ConcurrencyGroup(FilterHarness http) {
    this.http = Objects.requireNonNull(http, "http");
  }

  private List<HttpResponse<String>> blockedTogether(String id, List<String> targets)
      throws Exception {
    http.gate().hold(targets.size());
    http.counted().reset();
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (String target : targets) {
      inFlight.add(http.requestAsync(target, cookie(id)));
    }
    http.gate().awaitArrival("every request has loaded and changed the session");
    http.gate().release();
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> future : inFlight) {
      responses.add(await(future));
    }
    return responses;
  }

  @Test
  void eight_requests_changing_one_key_at_once_all_succeed_and_the_last_to_commit_wins()
      throws Exception {
    String id = http.newSession("set:writer:none", "set:kept:yes");
    List<String> targets =
        IntStream.range(0, 8).mapToObj(i -> BLOCK + "?key=writer&value=w" + i).toList();

    List<HttpResponse<String>> responses = blockedTogether(id, targets);

    for (HttpResponse<String> response : responses) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }
    // each request either writes at the revision it loaded or merges once under the row lock
    long conflicts = http.counted().verbs().stream().filter("SELECT"::equals).count() - 8;
    assertThat(conflicts).isBetween(0L, 7L);
    assertThat(http.counted().verbs()).filteredOn("UPDATE"::equals).hasSize((int) (8 + conflicts));
    assertThat(http.storedData(id).get("writer"))
        .isIn(IntStream.range(0, 8).mapToObj(i -> "w" + i).toArray());
    assertThat(http.storedData(id)).containsEntry("kept", "yes");
    assertThat(http.database().sessionRowCount()).isEqualTo(1);
  }

  @Test
  void two_requests_changing_different_keys_at_once_both_survive() throws Exception {
    String id = http.newSession("set:base:1");

    List<HttpResponse<String>> responses =
        blockedTogether(id, List.of(BLOCK + "?key=a&value=1", BLOCK + "?key=b&value=2"));

    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(http.storedData(id)).isEqualTo(Map.of("base", "1", "a", "1", "b", "2"));
  }

  @Test
  void a_conflict_costs_one_locked_reload_and_one_update_more_than_the_uncontended_path()
      throws Exception {
    String id = http.newSession("set:base:1");

    blockedTogether(id, List.of(BLOCK + "?key=a&value=1", BLOCK + "?key=b&value=2"));

    // both loaded at revision 0: one update wins, the other conflicts, reloads under the row's
    // lock and writes once more (SQLite adds BEGIN IMMEDIATE and COMMIT around that pair)
    assertThat(http.counted().verbs()).filteredOn("SELECT"::equals).hasSize(3);
    assertThat(http.counted().verbs()).filteredOn("UPDATE"::equals).hasSize(3);
    assertThat(http.counted().verbs())
        .filteredOn(verb -> !verb.equals("SELECT") && !verb.equals("UPDATE"))
        .isSubsetOf("BEGIN", "COMMIT");
  }

  @Test
  void sixteen_clients_setting_their_own_key_on_one_session_keep_every_last_value()
      throws Exception {
    String id = http.newSession("set:base:1");
    int clients = 16;
    int rounds = 12;

    List<List<Integer>> statuses =
        Concurrently.runAtOnce(
            clients,
            client ->
                () -> {
                  List<Integer> mine = new ArrayList<>();
                  for (int round = 0; round < rounds; round++) {
                    String command = "set:client" + client + ":" + round;
                    mine.add(await(http.requestAsync(script(command), cookie(id))).statusCode());
                  }
                  return mine;
                });

    assertThat(statuses).allSatisfy(s -> assertThat(s).containsOnly(200));
    Map<String, Object> expected = new HashMap<>();
    expected.put("base", "1");
    for (int c = 0; c < clients; c++) {
      expected.put("client" + c, Integer.toString(rounds - 1));
    }
    assertThat(http.storedData(id)).isEqualTo(expected);
  }

  @Test
  void a_login_that_lands_after_logout_everywhere_keeps_only_what_the_login_set() throws Exception {
    String old = http.newSession("set:user_id:alice", "set:visits:5");

    Gatekeeper.HeldRequest login = http.gate().holdOne("?key=login&value=yes&rotate=true", old);
    assertThat(http.otherNode().clearSessionsForUser("alice")).isEqualTo(1);
    HttpResponse<String> response = login.release();

    assertThat(response.statusCode()).isEqualTo(200);
    String fresh =
        SetCookie.parse(response.headers().firstValue("Set-Cookie").orElseThrow()).value();
    assertThat(fresh).isNotEqualTo(old);
    // deletion wins: nothing the deleted session held comes back, under any id
    assertThat(http.storedData(fresh)).isEqualTo(Map.of("login", "yes"));
    assertThat(http.rows(old)).isZero();
    assertThat(http.database().sessionRowCount()).isEqualTo(1);
    assertThat(http.otherNode().countSessionsForUser("alice")).isZero();
  }

  @Test
  void a_login_that_lands_after_the_session_was_invalidated_keeps_only_what_the_login_set()
      throws Exception {
    String old = http.newSession("set:cart:apple");

    HttpResponse<String> response =
        besideHeld("?key=user_id&value=bob&rotate=true", old, "invalidate").held();

    String fresh =
        SetCookie.parse(response.headers().firstValue("Set-Cookie").orElseThrow()).value();
    assertThat(http.storedData(fresh)).isEqualTo(Map.of("user_id", "bob"));
    assertThat(http.rows(old)).isZero();
    assertThat(http.database().sessionRowCount()).isEqualTo(1);
  }

  @Test
  void a_login_that_wins_the_race_is_logged_out_by_the_logout_everywhere_that_follows()
      throws Exception {
    String old = http.newSession("set:user_id:alice", "set:visits:5");

    Exchange login = ok(http.as(old, "rotate", "set:login:yes"));
    assertThat(http.otherNode().clearSessionsForUser("alice")).isEqualTo(1);

    String rotated = onlyCookie(login).value();
    assertThat(ok(http.as(rotated, "peek")).line("session")).isEqualTo("none");
    assertThat(http.database().sessionRowCount()).isZero();
  }

  @Test
  void two_logins_racing_on_one_session_carry_its_data_into_one_new_session_only()
      throws Exception {
    String old = http.newSession("set:user_id:alice", "set:visits:5");

    List<HttpResponse<String>> responses =
        blockedTogether(
            old,
            List.of(
                BLOCK + "?key=tab&value=1&rotate=true", BLOCK + "?key=tab&value=2&rotate=true"));

    List<String> ids = new ArrayList<>();
    for (HttpResponse<String> response : responses) {
      assertThat(response.statusCode()).isEqualTo(200);
      ids.add(SetCookie.parse(response.headers().firstValue("Set-Cookie").orElseThrow()).value());
    }
    assertThat(http.rows(old)).isZero();
    // the first rotation moves the session; the second finds it gone and keeps only its own key
    assertThat(ids.stream().map(id -> http.storedData(id)).filter(d -> d.containsKey("visits")))
        .hasSize(1);
    assertThat(http.database().sessionRowCount()).isEqualTo(2);
  }

  @Test
  void a_session_invalidated_by_another_request_while_one_was_running_is_not_brought_back()
      throws Exception {
    String id = http.newSession("set:k:v");

    Overlap logout = besideHeld("?key=k&value=w", id, "invalidate");

    assertThat(onlyCookie(logout.beside()).expires()).isTrue();
    assertThat(logout.held().statusCode()).isEqualTo(200);
    assertThat(http.rows(id)).isZero();
    assertThat(http.database().sessionRowCount()).isZero();
  }

  @Test
  void a_request_that_finds_its_session_rotated_away_does_not_expire_the_new_cookie()
      throws Exception {
    String old = http.newSession("set:user_id:alice");

    Overlap login = besideHeld("?key=cart&value=apple", old, "rotate");
    HttpResponse<String> late = login.held();

    String rotated = onlyCookie(login.beside()).value();
    assertThat(http.storedData(rotated)).containsEntry("user_id", "alice");
    assertThat(http.rows(old)).isZero();
    assertThat(late.statusCode()).isEqualTo(200);
    // The browser applies Set-Cookie headers in the order the responses arrive. This request
    // cannot know the new id; a Max-Age=0 cookie from it (same name, path and domain) would
    // delete the cookie the login just set and log the user out.
    assertThat(late.headers().allValues("Set-Cookie"))
        .as("Set-Cookie headers of the request that lost the race")
        .isEmpty();
    assertThat(ok(http.as(rotated, "get:user_id")).line("user_id")).isEqualTo("alice");
  }

  @Test
  void concurrent_requests_without_a_cookie_get_distinct_new_sessions() throws Exception {
    List<String> ids =
        Concurrently.runAtOnce(
            8,
            i ->
                () -> {
                  HttpResponse<String> response =
                      await(http.requestAsync(script("set:k:v" + i), null));
                  assertThat(response.statusCode()).isEqualTo(200);
                  return SetCookie.parse(response.headers().firstValue("Set-Cookie").orElseThrow())
                      .value();
                });

    Set<String> distinct = new HashSet<>(ids);
    assertThat(distinct).hasSize(8);
    assertThat(http.database().sessionRowCount()).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      assertThat(http.storedData(ids.get(i))).isEqualTo(Map.of("k", "v" + i));
    }
  }

  @Test
  void concurrent_reads_and_writes_on_one_session_never_fail() throws Exception {
    String id = http.newSession("set:n:0");
    List<Integer> statuses =
        Concurrently.runAtOnce(
            8,
            i -> {
              String command = i % 2 == 0 ? "get:n" : "set:n:" + i;
              return () -> await(http.requestAsync(script(command), cookie(id))).statusCode();
            });

    assertThat(statuses).containsOnly(200);
    assertThat(http.storedData(id).get("n")).isIn("1", "3", "5", "7");
  }

  /**
   * Holds a request to {@link FilterHarness#BLOCK} on the session {@code id} once it has loaded and
   * changed the session, runs {@code commands} on the same session while it waits, then lets it
   * finish.
   */
  private Overlap besideHeld(String query, String id, String... commands) throws Exception {
    Gatekeeper.HeldRequest held = http.gate().holdOne(query, id);
    Exchange beside = ok(http.as(id, commands));
    return new Overlap(beside, held.release());
  }

  /** The request run beside a held one, and the held one's response once released. */
  private record Overlap(Exchange beside, HttpResponse<String> held) {}
}

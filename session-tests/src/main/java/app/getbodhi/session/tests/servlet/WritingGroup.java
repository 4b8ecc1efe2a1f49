package app.getbodhi.session.tests.servlet;

import static app.getbodhi.session.tests.servlet.FilterAssertions.assertCostNothing;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertNoCookie;
import static app.getbodhi.session.tests.servlet.FilterAssertions.assertStatements;
import static app.getbodhi.session.tests.servlet.FilterAssertions.ok;
import static app.getbodhi.session.tests.servlet.FilterAssertions.onlyCookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.COOKIE;
import static app.getbodhi.session.tests.servlet.FilterHarness.EXPIRY;
import static app.getbodhi.session.tests.servlet.FilterHarness.GRANULARITY;
import static app.getbodhi.session.tests.servlet.FilterHarness.LARGE;
import static app.getbodhi.session.tests.servlet.FilterHarness.START;
import static app.getbodhi.session.tests.servlet.FilterHarness.cookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.script;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "writing" group of {@link SessionFilterContract}, run per backend as its {@code Writing}
 * class: a new or changed session costs one write at the end of the request and the cookie reaches
 * the browser, also after a body larger than the response buffer or a redirect; a 4xx response
 * still saves, while a 5xx response or a servlet that throws saves nothing.
 */
abstract class WritingGroup {

  private final FilterHarness http;

  WritingGroup(FilterHarness http) {
    this.http = Objects.requireNonNull(http, "http");
  }

  @Test
  void a_new_session_costs_one_insert_and_sends_its_id() {
    Exchange created = ok(http.request(script("set:k:v", "peek")));

    assertStatements(created, "INSERT");
    String id = onlyCookie(created).value();
    assertWritten(created, id, true, Map.of("k", "v"), START.plus(EXPIRY).plus(GRANULARITY));
  }

  @Test
  void changing_an_existing_session_costs_one_select_and_one_update_and_sends_no_cookie() {
    String id = http.newSession("set:k:v");
    Instant now = http.clock().advance(Duration.ofHours(1));

    Exchange changed = ok(http.as(id, "set:k:w", "peek"));

    assertStatements(changed, "SELECT", "UPDATE");
    assertNoCookie(changed);
    assertWritten(changed, id, false, Map.of("k", "w"), now.plus(EXPIRY).plus(GRANULARITY));
  }

  /**
   * Checks that the request saw the session {@code id}, new or not, and that the store now holds
   * {@code data} for it until {@code expiry}.
   */
  private void assertWritten(
      Exchange exchange, String id, boolean isNew, Map<String, String> data, Instant expiry) {
    assertThat(exchange.line("session")).isEqualTo(id);
    assertThat(exchange.line("new")).isEqualTo(Boolean.toString(isNew));
    SessionRecord record = http.stored(id).orElseThrow();
    assertThat(record.data()).isEqualTo(data);
    assertThat(record.expiryDate()).isEqualTo(expiry);
  }

  @Test
  void several_changes_in_one_request_are_written_once_at_the_end() {
    String id = http.newSession("set:a:1", "set:gone:x");

    Exchange changed = ok(http.as(id, "set:a:2", "set:b:3", "remove:gone", "set:a:4"));

    assertStatements(changed, "SELECT", "UPDATE");
    assertThat(http.storedData(id)).isEqualTo(Map.of("a", "4", "b", "3"));
  }

  @Test
  void removing_an_attribute_is_a_change() {
    String id = http.newSession("set:a:1", "set:b:2");

    Exchange removed = ok(http.as(id, "remove:b"));

    assertStatements(removed, "SELECT", "UPDATE");
    assertNoCookie(removed);
    assertThat(http.storedData(id)).isEqualTo(Map.of("a", "1"));
  }

  static Stream<Arguments> largeBodies() {
    return Stream.of(
        Arguments.of("stream", 200_000, 8_192, false),
        Arguments.of("stream", 200_000, 200_000, false),
        Arguments.of("writer", 200_000, 1_024, false),
        Arguments.of("writer", 200_000, 200_000, false),
        Arguments.of("stream", 200_000, 8_192, true));
  }

  @ParameterizedTest(name = "{0}, {1} bytes in calls of {2}, content-length set: {3}")
  @MethodSource("largeBodies")
  void a_body_larger_than_the_response_buffer_written_after_a_change_still_gets_the_cookie(
      String mode, int size, int chunk, boolean length) {
    Exchange large =
        ok(
            http.request(
                LARGE
                    + "?key=k&value=v&mode="
                    + mode
                    + "&size="
                    + size
                    + "&chunk="
                    + chunk
                    + "&length="
                    + length));

    assertThat(large.body()).hasSize(size);
    int buffer = Integer.parseInt(large.headers().firstValue("X-Buffer-Size").orElseThrow());
    assertThat(size).as("the body must not fit the response buffer").isGreaterThan(buffer);
    SetCookie cookie = onlyCookie(large);
    assertThat(cookie.name()).isEqualTo(COOKIE);
    assertThat(http.storedData(cookie.value())).isEqualTo(Map.of("k", "v"));
  }

  @ParameterizedTest(name = "{0} bytes through the output stream in one call")
  @ValueSource(ints = {4_000, 9_000, 20_000, 32_000})
  void a_body_that_fits_the_buffer_written_in_one_call_after_a_change_still_gets_the_cookie(
      int size) {
    Exchange body =
        ok(http.request(LARGE + "?key=k&value=v&mode=stream&size=" + size + "&chunk=" + size));

    assertThat(body.body()).hasSize(size);
    int buffer = Integer.parseInt(body.headers().firstValue("X-Buffer-Size").orElseThrow());
    assertThat(size).as("the body fits the response buffer").isLessThanOrEqualTo(buffer);
    SetCookie cookie = onlyCookie(body);
    assertThat(http.storedData(cookie.value())).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void a_redirect_after_login_carries_the_new_cookie_and_the_save() {
    String anonymous = http.newSession("set:cart:apple");

    Exchange login =
        http.request(script("set:user_id:alice", "rotate", "redirect:/home"), cookie(anonymous));

    assertThat(login.status()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/home"));
    String id = onlyCookie(login).value();
    assertThat(id).isNotEqualTo(anonymous);
    assertThat(http.storedData(id)).isEqualTo(Map.of("cart", "apple", "user_id", "alice"));
    assertThat(http.rows(anonymous)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"status:404", "error:404", "status:400"})
  void a_4xx_response_still_saves(String command) {
    String id = http.newSession("set:k:v");

    Exchange notFound = http.as(id, "set:k:w", command);

    assertThat(notFound.status()).isEqualTo(Integer.parseInt(command.split(":")[1]));
    assertStatements(notFound, "SELECT", "UPDATE");
    assertThat(http.storedData(id)).isEqualTo(Map.of("k", "w"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"status:500", "error:500", "status:503", "error:503"})
  void a_5xx_response_does_not_save_a_new_session(String command) {
    Exchange failed = http.request(script("set:k:v", command));

    assertThat(failed.status()).isEqualTo(Integer.parseInt(command.split(":")[1]));
    assertCostNothing(failed);
    assertThat(http.database().sessionRowCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"status:500", "error:500", "status:503", "error:503"})
  void a_5xx_response_does_not_save_changes_to_an_existing_session(String command) {
    String id = http.newSession("set:k:v");
    SessionRecord before = http.stored(id).orElseThrow();
    http.clock().advance(GRANULARITY.plusMinutes(1));

    Exchange failed = http.as(id, "set:k:w", "rotate", command);

    assertThat(failed.status()).isEqualTo(Integer.parseInt(command.split(":")[1]));
    assertStatements(failed, "SELECT");
    assertNoCookie(failed);
    assertThat(http.stored(id)).contains(before);
    assertThat(http.database().sessionRowCount()).isEqualTo(1);
  }

  @Test
  void a_servlet_that_throws_saves_nothing() {
    Exchange failedNew = http.request(script("set:k:v", "throw"));
    String id = http.newSession("set:k:v");
    SessionRecord before = http.stored(id).orElseThrow();
    Exchange failedChange = http.as(id, "set:k:w", "throw");
    Exchange failedInvalidate = http.as(id, "invalidate", "throw");

    assertThat(failedNew.status()).isEqualTo(500);
    assertCostNothing(failedNew);
    assertThat(failedChange.status()).isEqualTo(500);
    assertStatements(failedChange, "SELECT");
    assertNoCookie(failedChange);
    assertThat(failedInvalidate.status()).isEqualTo(500);
    assertStatements(failedInvalidate, "SELECT");
    assertNoCookie(failedInvalidate);
    assertThat(http.stored(id)).contains(before);
    assertThat(http.database().sessionRowCount()).isEqualTo(1);
  }
}

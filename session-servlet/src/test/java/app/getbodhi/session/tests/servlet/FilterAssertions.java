package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

/**
 * Assertions on an {@link Exchange}: its status, its {@code Set-Cookie} headers, the statements it
 * cost, and the ids and times its body reports. No message they produce names a session id.
 */
public final class FilterAssertions {

  private FilterAssertions() {}

  /**
   * Asserts that a response carries exactly one {@code Set-Cookie} header and returns it.
   *
   * @param exchange the exchange
   * @return the cookie
   */
  public static SetCookie onlyCookie(Exchange exchange) {
    List<SetCookie> cookies = exchange.setCookies();
    assertThat(cookies).as("Set-Cookie headers of %s", exchange).hasSize(1);
    return cookies.get(0);
  }

  /**
   * Asserts that a request cost the store nothing and left the client's cookie alone: no statement,
   * no {@code Set-Cookie}.
   *
   * @param exchange the exchange
   */
  public static void assertCostNothing(Exchange exchange) {
    assertStatements(exchange);
    assertNoCookie(exchange);
  }

  /**
   * Asserts that a response carries no {@code Set-Cookie} header.
   *
   * @param exchange the exchange
   */
  public static void assertNoCookie(Exchange exchange) {
    assertThat(exchange.headers().allValues("Set-Cookie"))
        .as("Set-Cookie headers of %s", exchange)
        .isEmpty();
  }

  /**
   * Asserts that a request cost exactly these statements, on the session table.
   *
   * @param exchange the exchange
   * @param verbs the expected first keywords, in order, such as {@code SELECT}, {@code UPDATE}
   */
  public static void assertStatements(Exchange exchange, String... verbs) {
    assertThat(exchange.verbs()).as("statements of %s", exchange).containsExactly(verbs);
    assertThat(exchange.statements())
        .as("statements of %s", exchange)
        .allSatisfy(sql -> assertThat(sql).containsIgnoringCase("bodhi_sessions"));
  }

  /**
   * Asserts that a request succeeded.
   *
   * @param exchange the exchange
   * @return the exchange
   */
  public static Exchange ok(Exchange exchange) {
    assertThat(exchange.status()).as("status of %s", exchange).isEqualTo(200);
    return exchange;
  }

  /**
   * Reads an epoch-millisecond line of a test servlet's body.
   *
   * @param exchange the exchange
   * @param key such as {@code created}
   * @return the instant
   */
  public static Instant instant(Exchange exchange, String key) {
    String millis = exchange.line(key);
    assertThat(millis).as("the %s line of %s", key, exchange).isNotNull().matches("-?\\d+");
    return Instant.ofEpochMilli(Long.parseLong(millis));
  }

  /**
   * Asserts that a session id a page reported is the expected one, without printing either.
   *
   * @param actual the reported id
   * @param expected the expected id
   * @param what what the reported id is, for the message
   */
  public static void assertSameId(String actual, String expected, String what) {
    assertThat(expected.equals(actual)).as("%s is the expected session id", what).isTrue();
  }
}

package app.getbodhi.session.tests.servlet;

import app.getbodhi.session.tck.CountingDataSource;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request and what it cost: the response's status, headers and body, and the SQL
 * statements the session store ran while the server handled it.
 *
 * @param status the response status
 * @param headers the response headers
 * @param body the response body, decoded as UTF-8
 * @param statements the SQL of every statement the counted store ran, in order
 */
public record Exchange(int status, HttpHeaders headers, String body, List<String> statements) {

  /** Copies the statements and checks that nothing is null. */
  public Exchange {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    statements = List.copyOf(statements);
  }

  /**
   * Returns every {@code Set-Cookie} header of the response, parsed.
   *
   * @return the cookies, in header order
   */
  public List<SetCookie> setCookies() {
    List<SetCookie> cookies = new ArrayList<>();
    for (String header : headers.allValues("Set-Cookie")) {
      cookies.add(SetCookie.parse(header));
    }
    return cookies;
  }

  /**
   * Returns the first keyword of each statement the request cost.
   *
   * @return such as {@code [SELECT, UPDATE]}
   */
  public List<String> verbs() {
    return statements.stream().map(CountingDataSource::verb).toList();
  }

  /**
   * Reads the lines of a test servlet's body that have the form {@code key=value}.
   *
   * @return key to value, in body order; a later line wins over an earlier one with the same key
   */
  public Map<String, String> lines() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }

  /**
   * Returns one {@code key=value} line of a test servlet's body.
   *
   * @param key the key
   * @return the value, or {@code null} when the body has no such line
   */
  public String line(String key) {
    return lines().get(key);
  }

  /** Shows status, statements, cookies (without values) and the start of the body. */
  @Override
  public String toString() {
    return "Exchange[status="
        + status
        + ", statements="
        + verbs()
        + ", setCookies="
        + setCookies()
        + ", body="
        + (body.length() <= 400 ? body : body.substring(0, 400) + "...")
        + "]";
  }
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a visitor sees when a request fails, over real HTTP: a generic page and a reference that is
 * also in the server's log, never the server's internals; and an access log that records the status
 * the client got.
 */
class ErrorPagesHttpTest extends DemoHttpTestBase {

  private static final Pattern REFERENCE = Pattern.compile("id=\"reference\">([0-9a-f]{12})<");

  @Test
  void aFailingStoreGivesAGenericPageWhoseReferenceIsInTheLog() {
    assertThat(browser.login("alice").statusCode()).isEqualTo(303);
    // the store goes away under a logged-in visitor: loading the session fails
    demo.service().close();

    HttpResponse<String> response;
    String log;
    try (CapturedStderr stderr = new CapturedStderr()) {
      response = browser.get("/");
      log = stderr.text();
    }

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body())
        .contains("Something went wrong")
        .doesNotContainIgnoringCase("exception")
        .doesNotContainIgnoringCase("hikari")
        .doesNotContainIgnoringCase("sqlstate")
        .doesNotContainIgnoringCase("sqlite")
        .doesNotContain("bodhi-sessions-", "DATABASE", "closed");
    Matcher reference = REFERENCE.matcher(response.body());
    assertThat(reference.find()).as(response.body()).isTrue();
    assertThat(log)
        .contains("GET / failed; reference " + reference.group(1))
        // the log keeps what the page leaves out
        .contains("SessionServiceException")
        .containsPattern("GET / 500 \\d+ ms");
  }

  @Test
  void aFormBodyOverJettysLimitIs400AtTheClientAndInTheAccessLog() {
    String huge = "username=" + "a".repeat(200 * 1024);
    HttpResponse<String> response;
    String log;
    try (CapturedStderr stderr = new CapturedStderr()) {
      response =
          browser.send(
              HttpRequest.newBuilder(demo.address().resolve("/login"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(huge)));
      log = stderr.text();
    }

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("400 Bad Request")
        .doesNotContainIgnoringCase("exception")
        .doesNotContain("max length", "200000");
    assertThat(log).containsPattern("POST /login 400 \\d+ ms").doesNotContain("POST /login 500");
  }
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's side of the packaged demo, run as {@code java -jar bodhi-sessions.jar serve}: the
 * shaded jar serves {@code /healthz} and Prometheus {@code /metrics}, and its log has one access
 * line per request with no query string, cookie or session id in it.
 */
@Timeout(120)
class DemoJarOperationsIT {

  @TempDir Path home;

  @Test
  void servesHealthAndMetricsAndLogsEachRequestWithoutItsSecrets() throws Exception {
    Path log = home.resolve("serve.log");
    PackagedJar.Serve serve =
        new PackagedJar(home).serve(log, "serve", "--port", "0", "--session-lifetime", "30m");
    Process process = serve.process();
    URI address = serve.address();
    try {
      WebClient browser = new WebClient(address);

      HttpResponse<String> health = browser.get("/healthz");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"up\"", "\"backend\":\"sqlite\"");

      assertThat(browser.login("jar-visitor").statusCode()).isEqualTo(303);
      String sessionId = browser.cookie().orElseThrow();
      HttpResponse<String> withQuery = browser.get("/api/me?token=query-secret-123");
      assertThat(withQuery.statusCode()).isEqualTo(200);
      HttpResponse<String> forged =
          browser.send(
              HttpRequest.newBuilder(address.resolve("/logout"))
                  .header("Sec-Fetch-Site", "cross-site")
                  .header("Origin", "https://evil.example")
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(forged.statusCode()).isEqualTo(403);

      HttpResponse<String> metrics = browser.get("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("bodhi_sessions_store_operations_seconds_count{")
          .contains("hikaricp_connections_max{")
          .doesNotContain(sessionId, "jar-visitor");

      process.destroy(); // SIGTERM: the shutdown hook stops the server and flushes the log
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped in time").isTrue();

      List<String> access =
          Files.readAllLines(log).stream().filter(line -> line.contains("access - ")).toList();
      assertThat(access)
          .anySatisfy(line -> assertThat(line).matches(".* access - GET /healthz 200 \\d+ ms"))
          .anySatisfy(line -> assertThat(line).matches(".* access - POST /login 303 \\d+ ms"))
          .anySatisfy(line -> assertThat(line).matches(".* access - GET /api/me 200 \\d+ ms"))
          .anySatisfy(line -> assertThat(line).matches(".* access - POST /logout 403 \\d+ ms"))
          .anySatisfy(line -> assertThat(line).matches(".* access - GET /metrics 200 \\d+ ms"));
      assertThat(Files.readString(log))
          .doesNotContain(sessionId)
          .doesNotContain("query-secret-123")
          .doesNotContain("token=")
          .contains("Health: " + address.resolve("/healthz"));
    } finally {
      process.destroyForcibly();
    }
  }
}

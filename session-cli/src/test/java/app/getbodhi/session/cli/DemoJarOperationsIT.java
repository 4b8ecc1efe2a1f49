package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Path JAR =
      Path.of(System.getProperty("bodhi.cli.jar", "target/bodhi-sessions.jar"));
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Pattern SERVING =
      Pattern.compile("Serving the bodhi-sessions demo on (\\S+)");

  @TempDir Path home;

  @Test
  void servesHealthAndMetricsAndLogsEachRequestWithoutItsSecrets() throws Exception {
    // a file, not a pipe: the JDK closes a pipe as the process exits, racing a reader's last read
    Path log = home.resolve("serve.log");
    Process process = start(log, "serve", "--port", "0", "--session-lifetime", "30m");
    try {
      URI address = URI.create(awaitServing(log, process, Duration.ofSeconds(60)));
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

  /** Waits, for a bounded time, until serve logs its address, and returns it. */
  private static String awaitServing(Path log, Process process, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = SERVING.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (matcher.find()) {
        return matcher.group(1);
      }
      assertThat(process.isAlive()).as("serve is running; its log: %s", log).isTrue();
      Thread.sleep(POLL.toMillis());
    }
    throw new AssertionError("serve did not log its address within " + timeout);
  }

  private Process start(Path log, String... args) throws Exception {
    assertThat(JAR).as("the packaged jar; run mvn verify, not just test").exists();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(SettingService.BODHI_HOME, home.toString());
    builder.environment().remove(SettingService.BODHI_SESSION_DB_URL);
    builder.environment().remove(SettingService.BODHI_DEPLOYMENT);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    return builder.start();
  }
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run as {@code java -jar bodhi-sessions.jar} in a process of its own: proves the
 * shading kept what only shows at run time (the backends' ServiceLoader entries, the main class,
 * the logging set-up).
 */
@Timeout(120)
class JarSmokeIT {

  private static final Path JAR =
      Path.of(System.getProperty("bodhi.cli.jar", "target/bodhi-sessions.jar"));
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Pattern SERVING =
      Pattern.compile("Serving the bodhi-sessions demo on (\\S+)");

  @TempDir Path home;

  private record Result(int exitCode, String out, String err) {}

  @Test
  void theJarFindsBothBackendsAndRunsTheAdminCommands() throws Exception {
    Result doctor = run("doctor");
    Result migrate = run("migrate");
    Result count = run("sessions", "count", "--user", "alice");

    assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
    assertThat(doctor.out())
        .containsPattern("backend +sqlite \\(available: (sqlite, postgres|postgres, sqlite)\\)");
    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).exists();
    assertThat(count.out().strip()).isEqualTo("0");
    // admin commands print their output only: no library log lines
    assertThat(migrate.err() + count.err()).isEmpty();
  }

  @Test
  void anErrorIsOneLineWithExitCode1() throws Exception {
    Result result =
        run("sessions", "count", "--user", "alice", "--db-url", "mysql://u:hunter2@h/d");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).hasLineCount(1).doesNotContain("hunter2");
  }

  @Test
  void serveLogsItsAddressAndBackendAndStopsOnSigterm() throws Exception {
    // a file, not a pipe: the JDK closes a pipe as the process exits, racing a reader's last read
    Path log = home.resolve("serve.log");
    Process process = start(ProcessBuilder.Redirect.to(log.toFile()), "serve", "--port", "0");
    try {
      URI address = URI.create(awaitLine(log, process, Duration.ofSeconds(60)));
      assertThat(new WebClient(address).get("/api/me").body()).contains("\"user\":null");

      process.destroy(); // SIGTERM: the same shutdown hook as Ctrl-C's SIGINT
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped in time").isTrue();

      assertThat(Files.readString(log))
          .as("exit code %d", process.exitValue())
          .contains(
              "Sessions are kept in sqlite at sqlite:"
                  + home.resolve(SettingService.SESSION_DB_FILE_NAME))
          .contains("Stopped.");
    } finally {
      process.destroyForcibly();
    }
  }

  /** Waits, for a bounded time, until serve logs its address, and returns it. */
  private static String awaitLine(Path log, Process process, Duration timeout) throws Exception {
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

  private Process start(ProcessBuilder.Redirect stderr, String... args) throws IOException {
    assertThat(JAR).as("the packaged jar; run mvn verify, not just test").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(SettingService.BODHI_HOME, home.toString());
    builder.environment().remove(SettingService.BODHI_SESSION_DB_URL);
    builder.environment().remove(SettingService.BODHI_DEPLOYMENT);
    builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.redirectError(stderr);
    return builder.start();
  }

  private Result run(String... args) throws Exception {
    Process process = start(ProcessBuilder.Redirect.PIPE, args);
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
    return new Result(
        process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> read(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}

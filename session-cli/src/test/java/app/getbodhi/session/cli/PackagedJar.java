package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.io.File;
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

/**
 * The packaged {@code bodhi-sessions.jar}, run as {@code java -jar} in a process of its own, with a
 * temporary BODHI_HOME and none of the caller's session settings: for the tests that prove the
 * shaded jar works as shipped.
 *
 * @param home the BODHI_HOME the process gets
 */
record PackagedJar(Path home) {

  private static final Path JAR =
      Path.of(System.getProperty("bodhi.cli.jar", "target/bodhi-sessions.jar"));
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Pattern SERVING =
      Pattern.compile("Serving the bodhi-sessions demo on (\\S+)");

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {}

  /**
   * Runs a command to its end.
   *
   * @param args the command line after the jar
   * @return its exit code and what it printed
   */
  Result run(String... args) throws Exception {
    Process process = start(ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE, args);
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
    return new Result(
        process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  /**
   * Starts {@code serve} with its log (stderr) going to a file, and waits until it logs its
   * address. A file, not a pipe: the JDK closes a pipe as the process exits, racing a reader's last
   * read.
   *
   * @param log the file the log goes to
   * @param args the command line after the jar, starting with {@code serve}
   * @return the running server; the caller destroys its process
   */
  Serve serve(Path log, String... args) throws Exception {
    Process process =
        start(ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.to(log.toFile()), args);
    try {
      return new Serve(process, URI.create(awaitServing(log, process)));
    } catch (Exception | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** A {@code serve} process and the address it logged. */
  record Serve(Process process, URI address) {}

  /** Waits, for a bounded time, until serve logs its address, and returns it. */
  private static String awaitServing(Path log, Process process) throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = SERVING.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (matcher.find()) {
        return matcher.group(1);
      }
      assertThat(process.isAlive()).as("serve is running; its log: %s", log).isTrue();
      Thread.sleep(POLL.toMillis());
    }
    throw new AssertionError("serve did not log its address within " + STARTUP);
  }

  private Process start(
      ProcessBuilder.Redirect stdout, ProcessBuilder.Redirect stderr, String... args)
      throws IOException {
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
    builder.redirectOutput(stdout);
    builder.redirectError(stderr);
    return builder.start();
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

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}

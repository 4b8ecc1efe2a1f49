package app.getbodhi.session.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of this module in a separate JVM on the test classpath. */
final class ChildJvm {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  /**
   * What the child printed.
   *
   * @param exitCode its exit code
   * @param stdout its standard output, line by line
   * @param stderr its standard error (logs go there), whole
   */
  record Output(int exitCode, List<String> stdout, String stderr) {}

  /**
   * A child that is still running: its output goes to files, so the parent can read what it has
   * printed so far (to act on a log line) without a thread per stream. {@link #close()} kills it if
   * it still runs and removes the files.
   */
  static final class Running implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private Running(String name, Process process, Path out, Path err) {
      this.name = name;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** What the child wrote to standard error so far. */
    String stderrSoFar() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    boolean isAlive() {
      return process.isAlive();
    }

    /** Kills the child at once, as a crash or {@code kill -9} would, and waits until it is gone. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }

    /** Waits for the child to end; fails, after killing it, when it runs longer than allowed. */
    Output await(Duration timeout) throws IOException, InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new AssertionError(name + " ran longer than " + timeout.toSeconds() + " s");
      }
      return new Output(
          process.exitValue(),
          Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException, InterruptedException {
      try {
        if (process.isAlive()) {
          kill();
        }
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    }
  }

  private ChildJvm() {}

  /**
   * Runs {@code mainClass} with the arguments, an environment added to this JVM's, and JVM options;
   * fails when it runs longer than two minutes.
   */
  static Output run(
      Class<?> mainClass, Map<String, String> environment, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    try (Running child = start(mainClass, environment, jvmOptions, args)) {
      return child.await(DEFAULT_TIMEOUT);
    }
  }

  /**
   * Starts {@code mainClass} as {@link #run} does and returns at once; close the handle when done.
   */
  static Running start(
      Class<?> mainClass, Map<String, String> environment, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("bodhi-child-", ".out");
    Path err = Files.createTempFile("bodhi-child-", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(environment);
      return new Running(mainClass.getSimpleName(), builder.start(), out, err);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      throw e;
    }
  }
}

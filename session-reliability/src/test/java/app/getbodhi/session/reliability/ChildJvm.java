package app.getbodhi.session.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of this module in a separate JVM on the test classpath. */
final class ChildJvm {

  private static final long TIMEOUT_SECONDS = 120;

  /**
   * What the child printed.
   *
   * @param exitCode its exit code
   * @param stdout its standard output, line by line
   * @param stderr its standard error (logs go there), whole
   */
  record Output(int exitCode, List<String> stdout, String stderr) {}

  private ChildJvm() {}

  /**
   * Runs {@code mainClass} with the arguments, an environment added to this JVM's, and JVM options;
   * fails when it runs longer than two minutes.
   */
  static Output run(
      Class<?> mainClass, Map<String, String> environment, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
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
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            mainClass.getSimpleName() + " ran longer than " + TIMEOUT_SECONDS + " s");
      }
      return new Output(
          process.exitValue(),
          Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}

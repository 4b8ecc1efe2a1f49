package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

  @TempDir Path home;

  @Test
  void theJarFindsEveryBackendAndRunsTheAdminCommands() throws Exception {
    PackagedJar jar = new PackagedJar(home);
    PackagedJar.Result doctor = jar.run("doctor");
    PackagedJar.Result migrate = jar.run("migrate");
    PackagedJar.Result count = jar.run("sessions", "count", "--user", "alice");

    assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
    // the shaded jar carries every backend; discovery order is the classpath's, so any order
    assertThat(doctor.out()).containsPattern("backend +sqlite \\(available: [a-z, ]+\\)");
    String available =
        doctor.out().replaceAll("(?s).*backend +sqlite \\(available: ([a-z, ]+)\\).*", "$1");
    assertThat(available.split(", ")).containsExactlyInAnyOrder("sqlite", "postgres", "mariadb");
    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).exists();
    assertThat(count.out().strip()).isEqualTo("0");
    // admin commands print their output only: no library log lines
    assertThat(migrate.err() + count.err()).isEmpty();
  }

  @Test
  void anErrorIsOneLineWithExitCode1() throws Exception {
    PackagedJar.Result result =
        new PackagedJar(home)
            .run("sessions", "count", "--user", "alice", "--db-url", "mysql://u:hunter2@h/d");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).hasLineCount(1).doesNotContain("hunter2");
  }

  @Test
  void serveLogsItsAddressAndBackendAndStopsOnSigterm() throws Exception {
    Path log = home.resolve("serve.log");
    PackagedJar.Serve serve = new PackagedJar(home).serve(log, "serve", "--port", "0");
    Process process = serve.process();
    try {
      assertThat(new WebClient(serve.address()).get("/api/me").body()).contains("\"user\":null");

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
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} as a command: starts on the settings' store, serves, and stops when told. */
@Timeout(60)
class ServeCommandTest {

  private static final Duration STARTUP = Duration.ofSeconds(30);

  @TempDir Path home;

  private ExecutorService executor;

  @BeforeEach
  void setUp() {
    executor = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void servesTheDemoOnTheDefaultSqliteFileUnderBodhiHomeAndStopsCleanly() throws Exception {
    Cli cli = Cli.withHome(home);
    Future<Cli.Run> running = executor.submit(() -> cli.run("serve", "--port", "0"));
    Cli.Served served = cli.served().get(STARTUP.toSeconds(), TimeUnit.SECONDS);

    WebClient browser = new WebClient(served.address());
    assertThat(browser.login("alice").statusCode()).isEqualTo(303);
    HttpResponse<String> me = browser.get("/api/me");
    assertThat(me.body()).isEqualTo("{\"user\":\"alice\",\"visits\":0,\"sessions\":1}");
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).exists();

    served.stop().run();
    Cli.Run run = running.get(10, TimeUnit.SECONDS);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(served.address().getHost()).isEqualTo(ServeCommand.DEFAULT_HOST);
    // the sessions outlive the server: they are in the file
    assertThat(Cli.withHome(home).run("sessions", "count", "--user", "alice").out().strip())
        .isEqualTo("1");
  }

  @Test
  void usesTheStoreDbUrlNames() throws Exception {
    Path file = home.resolve("custom/demo.sqlite");
    Cli cli = Cli.withHome(home);
    Future<Cli.Run> running =
        executor.submit(() -> cli.run("serve", "--port", "0", "--db-url", "sqlite:" + file));
    Cli.Served served = cli.served().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    new WebClient(served.address()).login("carol");

    served.stop().run();

    assertThat(running.get(10, TimeUnit.SECONDS).exitCode()).isZero();
    assertThat(file).exists();
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).doesNotExist();
  }

  @Test
  void stoppingTwiceIsHarmless() throws Exception {
    Cli cli = Cli.withHome(home);
    Future<Cli.Run> running = executor.submit(() -> cli.run("serve", "--port", "0"));
    Cli.Served served = cli.served().get(STARTUP.toSeconds(), TimeUnit.SECONDS);

    served.stop().run();
    served.stop().run();

    assertThat(running.get(10, TimeUnit.SECONDS).exitCode()).isZero();
  }

  @Test
  void failsWithOneLineWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cli.Run run = Cli.withHome(home).run("serve", "--port", String.valueOf(taken.getLocalPort()));

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.err())
          .startsWith("bodhi-sessions: Could not listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("Another program is using the port; pick another with --port.")
          .hasLineCount(1);
    }
  }

  @Test
  void failsWithOneLineOnAHostThatIsNotThisMachine() {
    Cli.Run run = Cli.withHome(home).run("serve", "--port", "0", "--host", "nosuch.invalid");

    assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(run.err())
        .startsWith("bodhi-sessions: Could not listen on nosuch.invalid:0 (unknown host)")
        .contains("Check --host")
        .hasLineCount(1);
  }

  @Test
  void failsWithOneLineOnABadUrlAndNeverListens() {
    Cli cli = Cli.withHome(home);

    Cli.Run run = cli.run("serve", "--port", "0", "--db-url", "ftp://files.example/sessions");

    assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(run.err()).contains("'ftp'").hasLineCount(1);
    assertThat(cli.served()).isNotDone();
  }

  @Test
  void refusesSqliteInClusterMode() {
    Cli.Run run =
        Cli.withHome(home)
            .with(SettingService.BODHI_DEPLOYMENT, "cluster")
            .run("serve", "--port", "0");

    assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(run.err())
        .contains("BODHI_DEPLOYMENT=cluster needs sessions in a database every node shares");
  }

  @Test
  void refusesAPortOutOfRangeAsAWrongCommandLine() {
    Cli.Run run = Cli.withHome(home).run("serve", "--port", "70000");

    assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_USAGE);
    assertThat(run.err())
        .contains("--port", "70000 is out of range: it must be from 0 to 65535")
        .contains("(see 'bodhi-sessions serve --help')")
        .hasLineCount(1);
  }
}

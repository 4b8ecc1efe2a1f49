package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} as a command: starts on the settings' store, serves, and stops when told. */
@Timeout(60)
class ServeCommandTest {

  @TempDir Path home;

  @Test
  void servesTheDemoOnTheDefaultSqliteFileUnderBodhiHomeAndStopsCleanly() throws Exception {
    try (Cli.Serving serving = Cli.withHome(home).serveOnAnyPort()) {
      WebClient browser = new WebClient(serving.address());
      assertThat(browser.login("alice").statusCode()).isEqualTo(303);
      HttpResponse<String> me = browser.get("/api/me");
      assertThat(me.body()).isEqualTo("{\"user\":\"alice\",\"visits\":0,\"sessions\":1}");
      assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).exists();

      Cli.Run run = serving.stop();

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(serving.address().getHost()).isEqualTo(ServeCommand.DEFAULT_HOST);
    }
    // the sessions outlive the server: they are in the file
    assertThat(Cli.withHome(home).run("sessions", "count", "--user", "alice").out().strip())
        .isEqualTo("1");
  }

  @Test
  void usesTheStoreDbUrlNames() throws Exception {
    Path file = home.resolve("custom/demo.sqlite");
    try (Cli.Serving serving = Cli.withHome(home).serveOnAnyPort("--db-url", "sqlite:" + file)) {
      new WebClient(serving.address()).login("carol");

      assertThat(serving.stop().exitCode()).isZero();
    }
    assertThat(file).exists();
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).doesNotExist();
  }

  @Test
  void stoppingTwiceIsHarmless() throws Exception {
    try (Cli.Serving serving = Cli.withHome(home).serveOnAnyPort()) {
      serving.ctrlC().run();
      serving.ctrlC().run();

      assertThat(serving.awaitExit().exitCode()).isZero();
    }
  }

  @Test
  void failsWithOneLineWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cli.Run run = Cli.withHome(home).run("serve", "--port", String.valueOf(taken.getLocalPort()));

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .startsWith("bodhi-sessions: Could not listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("Another program is using the port; pick another with --port.");
    }
  }

  @Test
  void failsWithOneLineOnAHostThatIsNotThisMachine() {
    Cli.Run run = Cli.withHome(home).run("serve", "--port", "0", "--host", "nosuch.invalid");

    run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
        .startsWith("bodhi-sessions: Could not listen on nosuch.invalid:0 (unknown host)")
        .contains("Check --host");
  }

  @Test
  void failsWithOneLineOnABadUrlAndNeverListens() {
    Cli cli = Cli.withHome(home);

    Cli.Run run = cli.run("serve", "--port", "0", "--db-url", "ftp://files.example/sessions");

    run.failedWithOneLine(BodhiSessions.EXIT_FAILURE).contains("'ftp'");
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

    run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
        .contains("--port", "70000 is out of range: it must be from 0 to 65535")
        .contains("(see 'bodhi-sessions serve --help')");
  }
}

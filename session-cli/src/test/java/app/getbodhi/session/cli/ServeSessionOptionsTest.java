package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code serve --secure-cookie} and {@code --session-lifetime}, and the settings they override:
 * what the browser gets in {@code Set-Cookie}, and the expiry the store keeps.
 */
@Timeout(60)
class ServeSessionOptionsTest {

  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration SLACK = Duration.ofMinutes(1);

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

  /** What one login on a server run with these arguments produced. */
  private record Login(String setCookie, Instant expiry, Instant before) {}

  private Login serveAndLogIn(Cli cli, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
    args.addAll(List.of(options));
    Future<Cli.Run> running = executor.submit(() -> cli.run(args.toArray(String[]::new)));
    Cli.Served served = cli.served().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    Instant before = Instant.now();
    HttpResponse<String> login = new WebClient(served.address()).login("alice");
    served.stop().run();
    Cli.Run run = running.get(10, TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.toString()).isZero();

    assertThat(login.statusCode()).isEqualTo(303);
    String setCookie = WebClient.sessionCookies(login).get(0);
    try (SqliteSessionStore store = SqliteSessionStore.open(cli.defaultUrl())) {
      List<SessionSummary> sessions = store.dumpAllSessions();
      assertThat(sessions).hasSize(1);
      return new Login(setCookie, sessions.get(0).expiryDate(), before);
    }
  }

  private static void assertLivesFor(Login login, Duration lifetime) {
    assertThat(login.expiry())
        .isBetween(
            login.before().plus(lifetime).minus(SLACK), login.before().plus(lifetime).plus(SLACK));
  }

  @Test
  void byDefaultTheCookieIsNotSecureAndASessionLivesFourteenDays() throws Exception {
    Login login = serveAndLogIn(Cli.withHome(home));

    assertThat(login.setCookie()).doesNotContain("Secure");
    assertLivesFor(login, Duration.ofDays(14));
  }

  @Test
  void theOptionsMakeTheCookieSecureAndTheSessionShortLived() throws Exception {
    Login login = serveAndLogIn(Cli.withHome(home), "--secure-cookie", "--session-lifetime", "30m");

    assertThat(login.setCookie()).contains("; Secure");
    assertLivesFor(login, Duration.ofMinutes(30));
  }

  @Test
  void theSettingsDoTheSameWithoutOptions() throws Exception {
    Cli cli =
        Cli.withHome(home)
            .with(SettingService.BODHI_SESSION_SECURE_COOKIE, "true")
            .with(SettingService.BODHI_SESSION_LIFETIME, "2h");

    Login login = serveAndLogIn(cli);

    assertThat(login.setCookie()).contains("; Secure");
    assertLivesFor(login, Duration.ofHours(2));
  }

  @Test
  void theOptionsWinOverTheSettings() throws Exception {
    Cli cli =
        Cli.withHome(home)
            .with(SettingService.BODHI_SESSION_SECURE_COOKIE, "true")
            .with(SettingService.BODHI_SESSION_LIFETIME, "2h");

    Login login = serveAndLogIn(cli, "--secure-cookie=false", "--session-lifetime", "P1D");

    assertThat(login.setCookie()).doesNotContain("Secure");
    assertLivesFor(login, Duration.ofDays(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30s", "400d", "soon", "off"})
  void aLifetimeOutOfRangeIsAWrongCommandLine(String value) {
    Cli cli = Cli.withHome(home);

    Cli.Run run = cli.run("serve", "--port", "0", "--session-lifetime", value);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(BodhiSessions.EXIT_USAGE);
    assertThat(run.err())
        .contains("--session-lifetime")
        .contains("'" + value + "'")
        .contains("serve --help")
        .hasLineCount(1);
    assertThat(cli.served()).isNotDone();
  }

  @Test
  void aSecureCookieValueOtherThanTrueOrFalseIsAWrongCommandLine() {
    Cli.Run run = Cli.withHome(home).run("serve", "--port", "0", "--secure-cookie=maybe");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(BodhiSessions.EXIT_USAGE);
    assertThat(run.err()).contains("--secure-cookie");
  }

  @Test
  void aWrongSettingIsRefusedNamingIt() {
    Cli cli = Cli.withHome(home).with(SettingService.BODHI_SESSION_LIFETIME, "forever");

    Cli.Run run = cli.run("serve", "--port", "0");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(run.err()).contains(SettingService.BODHI_SESSION_LIFETIME).hasLineCount(1);
    assertThat(cli.served()).isNotDone();
  }

  @Test
  void theHelpShowsBothOptionsAndTheirSettings() {
    Cli.Run run = Cli.withHome(home).run("serve", "--help");

    assertThat(run.out())
        .contains("--secure-cookie", "--session-lifetime")
        .contains(
            SettingService.BODHI_SESSION_SECURE_COOKIE, SettingService.BODHI_SESSION_LIFETIME);
  }
}

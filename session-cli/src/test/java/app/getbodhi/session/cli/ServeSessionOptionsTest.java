package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

  private static final Duration SLACK = Duration.ofMinutes(1);

  @TempDir Path home;

  /** What one login on a server run with these arguments produced. */
  private record Login(String setCookie, Instant expiry, Instant before) {}

  private Login serveAndLogIn(Cli cli, String... options) throws Exception {
    Instant before;
    HttpResponse<String> login;
    try (Cli.Serving serving = cli.serveOnAnyPort(options)) {
      before = Instant.now();
      login = new WebClient(serving.address()).login("alice");
      Cli.Run run = serving.stop();
      assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    assertThat(login.statusCode()).isEqualTo(303);
    String setCookie = WebClient.sessionCookies(login).get(0);
    try (SqliteSessionStore store = SqliteSessionStore.open(cli.defaultUrl())) {
      List<SessionSummary> sessions = store.streamAllSessions(1000).toList();
      assertThat(sessions).hasSize(1);
      return new Login(setCookie, sessions.get(0).expiryDate(), before);
    }
  }

  /**
   * Whether the cookie was Secure, and that the stored session lives this long from the login, plus
   * at most the access granularity the stored expiry carries as slack.
   */
  private static void assertSession(Login login, boolean secure, Duration lifetime) {
    if (secure) {
      assertThat(login.setCookie()).contains("; Secure");
    } else {
      assertThat(login.setCookie()).doesNotContain("Secure");
    }
    assertThat(login.expiry())
        .isBetween(
            login.before().plus(lifetime).minus(SLACK),
            login
                .before()
                .plus(lifetime)
                .plus(SettingService.DEFAULT_ACCESS_GRANULARITY)
                .plus(SLACK));
  }

  /** A command line whose settings ask for a Secure cookie and a two-hour session. */
  private Cli withSessionSettings() {
    return Cli.withHome(home)
        .with(SettingService.BODHI_SESSION_SECURE_COOKIE, "true")
        .with(SettingService.BODHI_SESSION_LIFETIME, "2h");
  }

  @Test
  void byDefaultTheCookieIsNotSecureAndASessionLivesFourteenDays() throws Exception {
    assertSession(serveAndLogIn(Cli.withHome(home)), false, Duration.ofDays(14));
  }

  @Test
  void theOptionsMakeTheCookieSecureAndTheSessionShortLived() throws Exception {
    Login login = serveAndLogIn(Cli.withHome(home), "--secure-cookie", "--session-lifetime", "30m");

    assertSession(login, true, Duration.ofMinutes(30));
  }

  @Test
  void theSettingsDoTheSameWithoutOptions() throws Exception {
    assertSession(serveAndLogIn(withSessionSettings()), true, Duration.ofHours(2));
  }

  @Test
  void theOptionsWinOverTheSettings() throws Exception {
    Login login =
        serveAndLogIn(withSessionSettings(), "--secure-cookie=false", "--session-lifetime", "P1D");

    assertSession(login, false, Duration.ofDays(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30s", "400d", "soon", "off"})
  void aLifetimeOutOfRangeIsAWrongCommandLine(String value) {
    Cli cli = Cli.withHome(home);

    Cli.Run run = cli.run("serve", "--port", "0", "--session-lifetime", value);

    run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
        .contains("--session-lifetime")
        .contains("'" + value + "'")
        .contains("serve --help");
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

    run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
        .contains(SettingService.BODHI_SESSION_LIFETIME);
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

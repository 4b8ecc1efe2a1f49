package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.SettingsCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor} fails on every setting {@code serve} refuses, with serve's message: a table with
 * an invalid value for every setting (and for the rules between settings), each run through both.
 */
class SettingsParityTest {

  /** A valid secret: base64 of 32 bytes. */
  static final String SECRET = "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=";

  /** How long serve may take to refuse; it refuses before it listens, so this is never reached. */
  private static final Duration REFUSAL = Duration.ofSeconds(60);

  @TempDir Path home;

  /**
   * One invalid configuration.
   *
   * @param settings what is set
   * @param message how the message serve and doctor give starts
   */
  record Row(Map<String, String> settings, String message) {}

  private static Row row(String message, String... keysAndValues) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new Row(settings, message);
  }

  /**
   * The table: a setting added to {@link SettingsCheck#SETTINGS} needs a row here, or {@link
   * #theTableCoversEverySettingTheCheckReads} fails.
   */
  private List<Row> table() {
    String missing = home.resolve("no-such-secret").toString();
    String postgres = "postgres://bodhi:hunter2@127.0.0.1:1/sessions";
    return List.of(
        row("BODHI_DEPLOYMENT must be", "BODHI_DEPLOYMENT", "clustered"),
        row("BODHI_SESSION_CLEANUP_INTERVAL needs a unit", "BODHI_SESSION_CLEANUP_INTERVAL", "300"),
        row("BODHI_SESSION_LIFETIME must be between", "BODHI_SESSION_LIFETIME", "abc"),
        row("BODHI_SESSION_LIFETIME must be between", "BODHI_SESSION_LIFETIME", "off"),
        row(
            "BODHI_SESSION_ACCESS_GRANULARITY must be between",
            "BODHI_SESSION_ACCESS_GRANULARITY",
            "2h"),
        row(
            "BODHI_SESSION_SECURE_COOKIE must be true or false",
            "BODHI_SESSION_SECURE_COOKIE",
            "yes"),
        row("BODHI_SESSION_SECRET must be base64", "BODHI_SESSION_SECRET", "not base64!"),
        row("BODHI_SESSION_SECRET is 'none'", "BODHI_SESSION_SECRET", "none"),
        row(
            "BODHI_SESSION_SECRET_PREVIOUS must be base64",
            "BODHI_SESSION_SECRET",
            SECRET,
            "BODHI_SESSION_SECRET_PREVIOUS",
            "not base64!"),
        row(
            "BODHI_SESSION_SECRET_PREVIOUS=none is for turning a secret on",
            "BODHI_SESSION_SECRET_PREVIOUS",
            "none"),
        row(
            "BODHI_SESSION_SECRET_PREVIOUS holds the same secret as BODHI_SESSION_SECRET",
            "BODHI_SESSION_SECRET",
            SECRET,
            "BODHI_SESSION_SECRET_PREVIOUS",
            SECRET),
        row(
            "BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY must be true or false",
            "BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY",
            "sure"),
        row("BODHI_SESSION_SECRET_FILE names the file", "BODHI_SESSION_SECRET_FILE", missing),
        row(
            "BODHI_SESSION_SECRET_PREVIOUS_FILE names the file",
            "BODHI_SESSION_SECRET",
            SECRET,
            "BODHI_SESSION_SECRET_PREVIOUS_FILE",
            missing),
        row(
            "BODHI_SESSION_SECRET and BODHI_SESSION_SECRET_FILE are both set",
            "BODHI_SESSION_SECRET",
            SECRET,
            "BODHI_SESSION_SECRET_FILE",
            missing),
        row(
            "BODHI_DEPLOYMENT=cluster needs a server secret",
            "BODHI_DEPLOYMENT",
            "cluster",
            "BODHI_SESSION_DB_URL",
            postgres),
        row(
            "BODHI_DEPLOYMENT=cluster needs sessions in a database every node shares",
            "BODHI_DEPLOYMENT",
            "cluster",
            "BODHI_SESSION_SECRET",
            SECRET),
        row(
            "No session store backend accepts the URL scheme 'redis'",
            "BODHI_SESSION_DB_URL",
            "redis://cache:6379"));
  }

  private Cli cli(Map<String, String> settings) {
    Cli cli = Cli.withHome(home);
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      cli = cli.with(setting.getKey(), setting.getValue());
    }
    return cli;
  }

  @Test
  void theTableCoversEverySettingTheCheckReads() {
    Set<String> covered =
        table().stream()
            .flatMap(row -> row.settings().keySet().stream())
            .collect(Collectors.toSet());

    assertThat(covered)
        .containsAll(SettingsCheck.SETTINGS.stream().map(SettingsCheck.Setting::name).toList())
        .contains(
            SettingService.BODHI_SESSION_SECRET_FILE,
            SettingService.BODHI_SESSION_SECRET_PREVIOUS_FILE);
  }

  @Test
  void everyValueServeRefusesMakesDoctorFailWithTheSameMessage() {
    for (Row row : table()) {
      Cli cli = cli(row.settings());

      Cli.Run serve = assertTimeoutPreemptively(REFUSAL, () -> cli.run("serve", "--port", "0"));
      Cli.Run doctor = cli.run("doctor");

      serve
          .failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .as("serve with %s", row.settings().keySet())
          .startsWith("bodhi-sessions: " + row.message())
          .doesNotContain("SessionStoreConfig", "hunter2", SECRET);
      String message = serve.err().strip().substring("bodhi-sessions: ".length());
      assertThat(doctor.exitCode()).as(doctor.toString()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(doctor.out())
          .as("doctor with %s", row.settings().keySet())
          .contains("problem: " + message)
          .doesNotContain("No problems found", "hunter2", SECRET);
      assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME))
          .as("serve opened no store")
          .doesNotExist();
    }
  }

  @Test
  void doctorReportsEachProblemAndServeNamesThemAll() {
    Cli cli =
        cli(
            Map.of(
                "BODHI_SESSION_LIFETIME", "abc",
                "BODHI_SESSION_SECURE_COOKIE", "yes",
                "BODHI_SESSION_SECRET", "none"));

    Cli.Run doctor = cli.run("doctor");
    Cli.Run serve = assertTimeoutPreemptively(REFUSAL, () -> cli.run("serve", "--port", "0"));

    assertThat(doctor.out().lines().filter(line -> line.startsWith("problem: "))).hasSize(3);
    assertThat(doctor.err().strip()).isEqualTo("bodhi-sessions: doctor found 3 problems.");
    assertThat(doctor.out())
        .containsPattern("BODHI_SESSION_LIFETIME +\\(invalid\\)")
        .containsPattern("BODHI_SESSION_SECURE_COOKIE +\\(invalid\\)")
        .containsPattern("BODHI_SESSION_SECRET +\\(invalid\\)");
    serve
        .failedWithOneLine(BodhiSessions.EXIT_FAILURE)
        .contains("3 settings problems", "BODHI_SESSION_LIFETIME", "BODHI_SESSION_SECURE_COOKIE")
        .contains("BODHI_SESSION_SECRET is 'none'");
  }

  @Test
  void doctorShowsWhetherTheSecretsAreSetButNeverTheirValues() throws Exception {
    Path file = Files.writeString(home.resolve("secret"), SECRET + "\n");
    Cli.Run unset = Cli.withHome(home).run("doctor");
    Cli.Run set =
        cli(Map.of(
                "BODHI_SESSION_SECRET_FILE",
                file.toString(),
                "BODHI_SESSION_SECRET_PREVIOUS",
                "none"))
            .run("doctor");

    assertThat(unset.out())
        .containsPattern("BODHI_SESSION_SECRET +\\(not set\\)")
        .containsPattern("BODHI_SESSION_SECRET_PREVIOUS +\\(not set\\)");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(set.out())
        .containsPattern(
            "BODHI_SESSION_SECRET +set \\(from the file BODHI_SESSION_SECRET_FILE names\\)")
        .containsPattern("BODHI_SESSION_SECRET_PREVIOUS +none: sessions stored without a secret")
        .doesNotContain(SECRET, SECRET.substring(0, 12));
  }
}

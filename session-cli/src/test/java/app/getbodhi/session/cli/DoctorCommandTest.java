package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code doctor}, run in-process against real SQLite files in a temporary BODHI_HOME. */
class DoctorCommandTest extends AdminCommandTestBase {

  @Test
  void showsTheEffectiveSettingsAndChangesNothingBeforeTheFirstStart() {
    Cli.Run run = cli.run("doctor");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .containsPattern("BODHI_HOME +" + java.util.regex.Pattern.quote(home.toString()))
        .containsPattern("BODHI_SESSION_DB_URL +\\(not set\\)")
        .containsPattern("BODHI_DEPLOYMENT +standalone \\(default\\)")
        .containsPattern("BODHI_SESSION_CLEANUP_INTERVAL +every 5m \\(default\\)")
        .contains(url + " (default: the SQLite file in BODHI_HOME)")
        .containsPattern("backend +sqlite \\(available: .*sqlite")
        .containsPattern(
            "database +does not exist yet; 'bodhi-sessions migrate' \\(or serve\\) creates it")
        .contains("No problems found.");
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).doesNotExist();
  }

  @Test
  void showsTheSchemaVersionAndSessionCountsOfAMigratedStore() {
    Stores.seed(
        url, Stores.live("alice"), Stores.live("alice"), Stores.live("bob"), Stores.expired("c"));

    Cli.Run run = cli.run("doctor");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .containsPattern("database +ok")
        .containsPattern("schema version +\\d+")
        .containsPattern("sessions +4 stored: 3 live, 1 expired; 2 users logged in");
  }

  @Test
  void hidesThePasswordOfTheConfiguredUrl() {
    Cli.Run run =
        cli.with(
                SettingService.BODHI_SESSION_DB_URL,
                "postgres://bodhi:hunter2@127.0.0.1:1/sessions")
            .run("doctor");

    assertThat(run.out() + run.err()).doesNotContain("hunter2");
    assertThat(run.out()).contains("postgres://bodhi:***@127.0.0.1:1/sessions");
    assertThat(run.out()).containsPattern("backend +postgres");
    // nothing listens on port 1
    assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(run.out())
        .containsPattern("database +cannot be used")
        .contains("problem: Could not connect to the PostgreSQL session database")
        .doesNotContain("No problems found.");
    assertThat(run.err().strip()).isEqualTo("bodhi-sessions: doctor found 1 problem.");
  }

  @Test
  void reportsClusterModeOnSqliteAsAProblem() {
    Cli.Run run = cli.with(SettingService.BODHI_DEPLOYMENT, "cluster").run("doctor");

    assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(run.out())
        .contains(
            "problem: BODHI_DEPLOYMENT=cluster needs sessions in a database every node shares");
  }

  @Test
  void reportsAnUnknownDeploymentModeAsAProblem() {
    Cli.Run run = cli.with(SettingService.BODHI_DEPLOYMENT, "galaxy").run("doctor");

    assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(run.out())
        .containsPattern("BODHI_DEPLOYMENT +\\(invalid\\)")
        .contains("problem: BODHI_DEPLOYMENT must be 'standalone' or 'cluster'");
  }

  @Test
  void showsACleanupIntervalThatIsOffAndReportsAMalformedOne() {
    Cli.Run off = cli.with(SettingService.BODHI_SESSION_CLEANUP_INTERVAL, "off").run("doctor");
    Cli.Run bad = cli.with(SettingService.BODHI_SESSION_CLEANUP_INTERVAL, "often").run("doctor");

    assertThat(off.out()).containsPattern("BODHI_SESSION_CLEANUP_INTERVAL +off\n");
    assertThat(bad.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(bad.out()).contains("problem: BODHI_SESSION_CLEANUP_INTERVAL must be a duration");
  }

  @Test
  void reportsAnUnsupportedUrlAsAProblem() {
    Cli.Run run = cli.run("doctor", "--db-url", "redis://cache:6379");

    assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
    assertThat(run.out())
        .contains("redis://cache:6379 (from --db-url)")
        .containsPattern("backend +\\(none\\)")
        .contains("problem: No session store backend accepts the URL scheme 'redis'");
  }

  @Test
  void saysAnInMemoryDatabaseCannotBeLookedAt() {
    Cli.Run run = cli.run("doctor", "--db-url", "sqlite::memory:");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsPattern("database +in memory: it lives inside one process");
  }

  @Test
  void readsADatabaseGivenAsADriverFileUri() {
    Path file = home.resolve("uri.sqlite");
    Stores.seed("sqlite:" + file, Stores.live("alice"));

    Cli.Run run = cli.run("doctor", "--db-url", "jdbc:sqlite:file:" + file);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsPattern("sessions +1 stored: 1 live");
  }

  @Test
  void saysWhenTheDatabaseExistsButHasNoSessionTableYet() throws Exception {
    Path empty = home.resolve("empty.sqlite");
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + empty);
        var statement = connection.createStatement()) {
      statement.execute("CREATE TABLE unrelated (x INTEGER)");
    }

    Cli.Run run = cli.run("doctor", "--db-url", "sqlite:" + empty);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .containsPattern("database +ok")
        .containsPattern("schema version +none yet; 'bodhi-sessions migrate'");
    assertThat(Files.size(empty)).isPositive();
  }
}

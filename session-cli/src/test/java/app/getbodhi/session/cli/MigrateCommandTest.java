package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code migrate}, run in-process against real SQLite files in a temporary BODHI_HOME. */
class MigrateCommandTest extends AdminCommandTestBase {

  @Test
  void createsTheDefaultSqliteFileUnderBodhiHomeAndReportsTheSchemaVersion() {
    Cli.Run run = cli.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).exists();
    assertThat(run.out())
        .containsPattern(
            "^Created the session schema \\(version \\d+\\) in the sqlite session store at "
                + java.util.regex.Pattern.quote(url)
                + "\\.$");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void isSafeToRunTwice() {
    assertThat(cli.run("migrate").exitCode()).isZero();
    Cli.Run again = cli.run("migrate");

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out())
        .containsPattern(
            "^The sqlite session store at .* is up to date at schema version \\d+; nothing to"
                + " migrate\\.$");
  }

  @Test
  void migratesTheDatabaseThatDbUrlNamesInsteadOfTheDefault() {
    Path other = home.resolve("elsewhere/other.sqlite");

    Cli.Run run = cli.run("migrate", "--db-url", "sqlite:" + other);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(other).exists();
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).doesNotExist();
  }

  @Test
  void sealsTheSessionsOfALegacyTableSaysHowManyAndEachStillLoadsByItsId() {
    SessionId first = SessionId.generate();
    SessionId second = SessionId.generate();
    Instant expiry = Instant.now().plus(Duration.ofDays(1));
    // the table as releases before sealing kept it: raw ids as keys, plain JSON
    try (SqliteFixture legacy =
        SqliteFixture.at(home.resolve(SettingService.SESSION_DB_FILE_NAME))) {
      legacy.createLegacySessionTable(first, "{\"user_id\":\"alice\",\"theme\":\"dark\"}", expiry);
      legacy.insertSessionRow(second, "{\"visits\":3}".getBytes(StandardCharsets.UTF_8), expiry);
    }

    Cli.Run run = cli.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    // SQLite vacuums by itself after sealing, so it has no advice to print
    assertThat(run.out().lines())
        .as(run.toString())
        .hasSize(2)
        .endsWith("Sealed 2 sessions stored before sealing existed.");
    try (SessionStoreBackend store = SessionStoreBackend.connect(url)) {
      assertThat(store.load(first))
          .hasValueSatisfying(
              record ->
                  assertThat(record.data())
                      .containsEntry("user_id", "alice")
                      .containsEntry("theme", "dark"));
      assertThat(store.load(second))
          .hasValueSatisfying(record -> assertThat(record.data()).containsEntry("visits", 3L));
    }
  }

  @Test
  void saysNothingOfSealingWhenThereWasNothingToSeal() {
    Stores.seed(url, Stores.live("alice"));

    Cli.Run run = cli.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().lines()).as(run.toString()).hasSize(1);
    assertThat(run.out()).doesNotContain("Sealed");
  }
}

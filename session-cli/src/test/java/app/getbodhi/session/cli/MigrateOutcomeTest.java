package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sentence {@code migrate} prints, from the looks before and after. Creating and finding up to
 * date are run for real in {@link MigrateCommandTest}; an upgrade needs a schema this build no
 * longer writes, so it is told here from the two looks.
 */
class MigrateOutcomeTest {

  private static final String URL = "postgres://bodhi:s3cret@db/app";

  private static StoreInspection at(Database database, String version) {
    return new StoreInspection(
        "postgres", URL, database, Optional.ofNullable(version), Optional.empty(), List.of());
  }

  @Test
  void anOlderVersionBeforeIsAnUpgradeFromItToTheNewOne() {
    assertThat(
            MigrateCommand.outcome(
                "postgres", URL, at(Database.FOUND, "2"), at(Database.FOUND, "3")))
        .isEqualTo(
            "Upgraded the postgres session store at postgres://bodhi:***@db/app from schema"
                + " version 2 to 3.");
  }

  @Test
  void noSchemaBeforeIsACreation() {
    assertThat(
            MigrateCommand.outcome(
                "postgres", URL, at(Database.FOUND, null), at(Database.FOUND, "3")))
        .isEqualTo(
            "Created the session schema (version 3) in the postgres session store at"
                + " postgres://bodhi:***@db/app.");
  }

  @Test
  void theSameVersionBeforeAndAfterIsUpToDate() {
    assertThat(
            MigrateCommand.outcome(
                "postgres", URL, at(Database.FOUND, "3"), at(Database.FOUND, "3")))
        .startsWith("The postgres session store at")
        .endsWith("is up to date at schema version 3; nothing to migrate.");
  }

  @Test
  void aReportWithNothingSealedAndNoAdviceAddsNoLine() {
    assertThat(MigrateCommand.report(new MigrationReport(1, 0, List.of()))).isEmpty();
  }

  @Test
  void theSealedCountComesFirstThenEachPieceOfAdviceInOrder() {
    assertThat(
            MigrateCommand.report(
                new MigrationReport(1, 1, List.of("Run VACUUM.", "Let backups age out."))))
        .containsExactly(
            "Sealed 1 session stored before sealing existed.",
            "Run VACUUM.",
            "Let backups age out.");
  }
}

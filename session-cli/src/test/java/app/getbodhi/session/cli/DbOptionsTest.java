package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SettingService;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** How {@code --db-url} and the admin defaults lay over the process's settings. */
class DbOptionsTest {

  private static final SettingService BASE =
      SettingService.of(
          Map.of(
              SettingService.BODHI_HOME, "/srv/bodhi",
              SettingService.BODHI_SESSION_DB_URL, "sqlite:/srv/bodhi/from-env.sqlite",
              SettingService.BODHI_DEPLOYMENT, "standalone",
              SettingService.BODHI_SESSION_CLEANUP_INTERVAL, "10m"));

  @Command
  static final class Probe implements Runnable {
    @Mixin DbOptions db;

    @Override
    public void run() {}
  }

  private static DbOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.db;
  }

  @Test
  void withoutDbUrlTheSettingsAreUnchanged() {
    DbOptions options = parse();

    assertThat(options.dbUrl()).isEmpty();
    assertThat(options.effectiveSettings(BASE)).isSameAs(BASE);
  }

  @Test
  void dbUrlReplacesOnlyTheSessionUrl() {
    SettingService settings = parse("--db-url", "sqlite:/tmp/x.sqlite").effectiveSettings(BASE);

    assertThat(settings.sessionDbUrl()).isEqualTo("sqlite:/tmp/x.sqlite");
    assertThat(settings.bodhiHome()).isEqualTo(BASE.bodhiHome());
    assertThat(settings.cleanupInterval()).isEqualTo(BASE.cleanupInterval());
  }

  @Test
  void aBlankDbUrlIsRefusedRatherThanTakenForTheConfiguredStore() {
    // a variable that expanded to nothing must not quietly select another store
    assertThatThrownBy(() -> parse("--db-url", " "))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("must not be blank");
  }

  @Test
  void adminCommandsRunWithoutTheBackgroundCleanup() {
    SettingService admin = parse("--db-url", "sqlite:/tmp/x.sqlite").adminSettings(BASE);

    assertThat(admin.cleanupInterval()).isEmpty();
    assertThat(admin.sessionDbUrl()).isEqualTo("sqlite:/tmp/x.sqlite");
    assertThat(admin.deploymentMode()).isEqualTo(BASE.deploymentMode());
  }
}

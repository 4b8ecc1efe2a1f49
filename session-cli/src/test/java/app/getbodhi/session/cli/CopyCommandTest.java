package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SettingService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sessions copy}, run in-process between real SQLite files in a temporary BODHI_HOME. */
class CopyCommandTest extends AdminCommandTestBase {

  private String targetUrl;

  @BeforeEach
  void target() {
    targetUrl = "sqlite:" + home.resolve("target/sessions.sqlite");
  }

  @Test
  void copiesEveryLiveSessionWithItsDataAndExpiryAndLeavesExpiredOnesBehind() {
    List<SessionRecord> live =
        Stores.seed(url, Stores.live("alice"), Stores.live("bob"), Stores.live(null));
    List<SessionRecord> expired = Stores.seed(url, Stores.expired("alice"));

    Cli.Run run = cli.run("sessions", "copy", "--to", targetUrl);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("Copied 3 sessions from sqlite at " + url + " to sqlite at " + targetUrl);
    assertThat(Stores.content(Stores.load(targetUrl, live)))
        .containsExactlyInAnyOrderElementsOf(live);
    assertThat(Stores.stored(targetUrl)).isEqualTo(3);
    assertThat(Stores.load(targetUrl, expired)).isEmpty();
    // a copy, not a move
    assertThat(Stores.load(url, live)).hasSize(3);
  }

  @Test
  void isSafeToRunTwiceAndPicksUpChangesMadeInBetween() {
    List<SessionRecord> live = Stores.seed(url, Stores.live("alice"), Stores.live("bob"));
    assertThat(cli.run("sessions", "copy", "--to", targetUrl).exitCode()).isZero();
    SessionRecord renamed =
        new SessionRecord(
            live.get(0).id(),
            java.util.Map.of(SessionRecord.USER_ID_KEY, "alice2"),
            live.get(0).expiryDate());
    Stores.seed(url, renamed);

    Cli.Run again = cli.run("sessions", "copy", "--to", targetUrl);

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("Copied 2 sessions");
    assertThat(Stores.stored(targetUrl)).isEqualTo(2);
    assertThat(Stores.content(Stores.load(targetUrl, List.of(renamed)))).containsExactly(renamed);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 7, 25, 26, 500})
  void copiesEverySessionWhateverTheBatchSize(int batchSize) {
    SessionRecord[] many = new SessionRecord[25];
    for (int i = 0; i < many.length; i++) {
      many[i] = Stores.live("user" + (i % 4));
    }
    List<SessionRecord> seeded = Stores.seed(url, many);

    Cli.Run run =
        cli.atTerminalAnswering()
            .run("sessions", "copy", "--to", targetUrl, "--batch-size", "" + batchSize);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Copied 25 sessions");
    assertThat(run.err()).contains("25/25 (100%)");
    assertThat(Stores.content(Stores.load(targetUrl, seeded)))
        .containsExactlyInAnyOrderElementsOf(seeded);
  }

  @Test
  void copiesEachSessionsCreationAndLastAccessTimesTimeoutAndRevision() {
    SessionRecord old = Stores.withLifecycle(Stores.live("alice"));
    Stores.seed(url, old);
    // written again: the source row is at revision 1 now
    List<SessionRecord> live = Stores.seed(url, old, Stores.live("bob"));
    List<SessionRecord> inSource = Stores.load(url, live);
    assertThat(inSource.get(0).revision()).isOne();

    Cli.Run run = cli.run("sessions", "copy", "--to", targetUrl);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    SessionRecord copied = Stores.load(targetUrl, List.of(old)).get(0);
    assertThat(copied.createdAt()).as("creation time").isEqualTo(old.createdAt());
    assertThat(copied.lastAccessedAt()).as("last access").isEqualTo(old.lastAccessedAt());
    assertThat(copied.maxInactiveInterval()).as("timeout").isEqualTo(old.maxInactiveInterval());
    // into an empty store every session arrives whole: times, timeout and revision as in the
    // source
    assertThat(Stores.load(targetUrl, live)).containsExactlyElementsOf(inSource);
  }

  @Test
  void drawsAProgressBarOnStderrOnlyAtATerminal() {
    Stores.seed(url, Stores.live("alice"), Stores.live("bob"));

    Cli.Run piped = cli.run("sessions", "copy", "--to", targetUrl);
    Cli.Run atTerminal = cli.atTerminalAnswering().run("sessions", "copy", "--to", targetUrl);

    assertThat(piped.err()).isEmpty();
    assertThat(atTerminal.err()).contains("\rCopying sessions [").contains("2/2 (100%)");
  }

  @Test
  void copiesFromTheStoreDbUrlNames() {
    String source = "sqlite:" + home.resolve("source.sqlite");
    List<SessionRecord> seeded = Stores.seed(source, Stores.live("carol"));

    Cli.Run run = cli.run("sessions", "copy", "--db-url", source, "--to", targetUrl);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Stores.load(targetUrl, seeded)).hasSize(1);
  }

  @Test
  void refusesToCopyAStoreOntoItself() {
    Cli.Run run = cli.run("sessions", "copy", "--to", url);

    run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
        .contains("--to names the source store itself");
  }

  @Test
  void refusesTheSourceStoreHoweverItsUrlIsSpelled() throws Exception {
    Stores.seed(url, Stores.live("alice"));
    Path file = home.resolve(SettingService.SESSION_DB_FILE_NAME);
    Path link = Files.createSymbolicLink(home.resolve("alias"), home);
    Path relative = Path.of("").toAbsolutePath().relativize(file);
    List<String> spellings =
        List.of(
            "sqlite://" + file,
            "jdbc:sqlite:" + file,
            "SQLITE:" + file + "?mode=rwc",
            "sqlite:./" + relative,
            "sqlite:" + home.resolve("sub/../" + SettingService.SESSION_DB_FILE_NAME),
            "sqlite:" + link.resolve(SettingService.SESSION_DB_FILE_NAME),
            "jdbc:sqlite:file:" + file);

    for (String spelling : spellings) {
      Cli.Run run = cli.run("sessions", "copy", "--to", spelling);

      assertThat(run.exitCode()).as(spelling).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.err())
          .as(spelling)
          .contains("--to names the source store itself")
          .hasLineCount(1);
    }
    assertThat(Stores.stored(url)).isOne();
  }

  @Test
  void failsWithOneLineOnAnUnsupportedTargetUrl() {
    Stores.seed(url, Stores.live("alice"));

    Cli.Run run = cli.run("sessions", "copy", "--to", "mysql://root:hunter2@db/app");

    run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
        .startsWith("bodhi-sessions: No session store backend accepts the URL scheme 'mysql'")
        .contains("root:***@db")
        .doesNotContain("hunter2");
  }

  @Test
  void refusesABatchSizeOutOfRangeAsAWrongCommandLine() {
    Cli.Run run = cli.run("sessions", "copy", "--to", targetUrl, "--batch-size", "0");

    run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
        .contains("--batch-size", "0 is out of range: it must be from 1 to");
    assertThat(Path.of(targetUrl.substring("sqlite:".length()))).doesNotExist();
  }
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin commands, run in-process against real SQLite files in a temporary BODHI_HOME. */
class AdminCommandsTest {

  @TempDir Path home;

  private Cli cli;
  private String url;

  @BeforeEach
  void setUp() {
    cli = Cli.withHome(home);
    url = cli.defaultUrl();
  }

  @Nested
  class Migrate {

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
        legacy.createLegacySessionTable(
            first, "{\"user_id\":\"alice\",\"theme\":\"dark\"}", expiry);
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

  @Nested
  class Count {

    @Test
    void printsTheNumberOfLiveSessionsOfTheUserOnly() {
      Stores.seed(
          url,
          Stores.live("alice"),
          Stores.live("alice"),
          Stores.expired("alice"),
          Stores.live("bob"),
          Stores.live(null));

      Cli.Run run = cli.run("sessions", "count", "--user", "alice");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out().strip()).isEqualTo("2");
    }

    @Test
    void printsZeroForAUserWithoutSessions() {
      assertThat(cli.run("migrate").exitCode()).isZero();

      Cli.Run run = cli.run("sessions", "count", "--user", "nobody");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out().strip()).isEqualTo("0");
    }

    @Test
    void matchesTheUserExactlyWithoutWildcards() {
      Stores.seed(url, Stores.live("alice"), Stores.live("al%"));

      assertThat(cli.run("sessions", "count", "--user", "al%").out().strip()).isEqualTo("1");
      assertThat(cli.run("sessions", "count", "--user", "ALICE").out().strip()).isEqualTo("0");
    }
  }

  @Nested
  class ListRefs {

    @Test
    void listsTheUsersLiveSessionsByRefWithWhenEachWasCreatedAndLastUsedAndNoIds() {
      Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      List<SessionRecord> alice = Stores.seed(url, Stores.live("alice"), Stores.live("alice"));
      SessionRecord expired = Stores.seed(url, Stores.expired("alice")).get(0);
      SessionRecord bob = Stores.seed(url, Stores.live("bob")).get(0);

      Cli.Run run = cli.run("sessions", "list", "--user", "alice");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines.get(0)).startsWith("REF ").contains("CREATED", "LAST ACCESSED", "EXPIRES");
      assertThat(lines.subList(1, lines.size()))
          .hasSize(2)
          .allSatisfy(
              line -> {
                String[] columns = line.split(" +");
                assertThat(Stores.refs(url, alice)).contains(columns[0]);
                // created and last accessed, stamped by the store when the test saved them
                assertThat(Instant.parse(columns[1])).isAfterOrEqualTo(before);
                assertThat(Instant.parse(columns[2])).isAfterOrEqualTo(Instant.parse(columns[1]));
              });
      assertThat(run.out()).doesNotContain(Stores.ref(url, expired), Stores.ref(url, bob));
      // the store keeps no ids, so none can be printed: a listing hands out no credentials
      assertThat(run.out()).doesNotContain(alice.get(0).id().value(), alice.get(1).id().value());
    }

    @Test
    void printsTheSameAsJsonWithJson() throws Exception {
      SessionRecord alice = Stores.seed(url, Stores.live("alice")).get(0);

      Cli.Run run = cli.run("sessions", "list", "--user", "alice", "--json");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      JsonNode json = new ObjectMapper().readTree(run.out());
      assertThat(json).hasSize(1);
      JsonNode session = json.get(0);
      assertThat(session.get("ref").asText()).isEqualTo(Stores.ref(url, alice));
      assertThat(session.get("user").asText()).isEqualTo("alice");
      assertThat(Instant.parse(session.get("lastAccessed").asText()))
          .isAfterOrEqualTo(Instant.parse(session.get("created").asText()));
      assertThat(session.get("expiry").asText()).isEqualTo(alice.expiryDate().toString());
      assertThat(session.has("id")).isFalse();
    }

    @Test
    void printsNothingForAUserWithoutSessions() {
      assertThat(cli.run("migrate").exitCode()).isZero();

      Cli.Run run = cli.run("sessions", "list", "--user", "nobody");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).isEmpty();
    }
  }

  @Nested
  class Clear {

    @Test
    void deletesEverySessionOfTheUserWithYesAndLeavesOthersAlone() {
      List<SessionRecord> alice =
          Stores.seed(url, Stores.live("alice"), Stores.live("alice"), Stores.expired("alice"));
      List<SessionRecord> others = Stores.seed(url, Stores.live("bob"), Stores.live(null));

      Cli.Run run = cli.run("sessions", "clear", "--user", "alice", "--yes");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("Deleted 3 sessions of user 'alice'.");
      assertThat(Stores.load(url, alice)).isEmpty();
      assertThat(Stores.load(url, others)).hasSize(2);
    }

    @Test
    void deletesEverySessionWithAllAndYes() {
      Stores.seed(url, Stores.live("alice"), Stores.live("bob"), Stores.expired(null));

      Cli.Run run = cli.run("sessions", "clear", "--all", "--yes");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("Deleted 3 sessions.");
      assertThat(Stores.stored(url)).isZero();
    }

    @Test
    void refusesWithoutYesWhenThereIsNoTerminalToAskOn() {
      List<SessionRecord> alice = Stores.seed(url, Stores.live("alice"));

      Cli.Run run = cli.run("sessions", "clear", "--user", "alice");

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.err().strip())
          .isEqualTo(
              "bodhi-sessions: Refusing to delete sessions without confirmation: standard input"
                  + " is not a terminal. Pass --yes to confirm.");
      assertThat(Stores.load(url, alice)).hasSize(1);
    }

    @Test
    void asksAtATerminalAndDeletesWhenTheAnswerIsYes() {
      Stores.seed(url, Stores.live("alice"), Stores.live("alice"));
      Cli atTerminal = cli.atTerminalAnswering("y");

      Cli.Run run = atTerminal.run("sessions", "clear", "--user", "alice");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(atTerminal.prompts())
          .singleElement()
          .asString()
          .contains("Delete every session of user 'alice' (2 live sessions) in sqlite at " + url)
          .endsWith("[y/N] ");
      assertThat(Stores.stored(url)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"n", "", "maybe"})
    void keepsEverythingWhenTheAnswerIsNotYes(String answer) {
      Stores.seed(url, Stores.live("alice"));

      Cli.Run run = cli.atTerminalAnswering(answer).run("sessions", "clear", "--all");

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.err().strip()).isEqualTo("bodhi-sessions: Cancelled: nothing was deleted.");
      assertThat(Stores.stored(url)).isOne();
    }

    @Test
    void needsEitherUserOrAll() {
      Cli.Run run = cli.run("sessions", "clear", "--yes");

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE).contains("Missing required argument");
    }

    @Test
    void refusesUserAndAllTogether() {
      Cli.Run run = cli.run("sessions", "clear", "--user", "alice", "--all", "--yes");

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE).contains("mutually exclusive");
    }
  }

  @Nested
  class Dump {

    @Test
    void listsEverySessionByRefWithItsUserExpiryAndStateButNotItsDataOrId() {
      SessionRecord alice = Stores.seed(url, Stores.live("alice")).get(0);
      SessionRecord expired = Stores.seed(url, Stores.expired("bob")).get(0);
      SessionRecord anonymous = Stores.seed(url, Stores.live(null)).get(0);

      Cli.Run run = cli.run("sessions", "dump");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out().lines().findFirst())
          .hasValueSatisfying(
              h -> assertThat(h).startsWith("REF ").contains("EXPIRES", "STATE", "USER"));
      assertThat(run.out())
          .containsPattern(Stores.ref(url, alice) + " .* live +alice")
          .containsPattern(Stores.ref(url, expired) + " .* expired +bob")
          .containsPattern(Stores.ref(url, anonymous) + " .* live +-")
          .contains("3 sessions (2 live).")
          .doesNotContain("tea", "cart", "visits")
          .doesNotContain(alice.id().value(), expired.id().value(), anonymous.id().value());
    }

    @Test
    void printsAJsonArrayWithJson() throws Exception {
      SessionRecord alice = Stores.seed(url, Stores.live("alice")).get(0);
      SessionRecord expired = Stores.seed(url, Stores.expired(null)).get(0);

      Cli.Run run = cli.run("sessions", "dump", "--json");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      JsonNode json = new ObjectMapper().readTree(run.out());
      assertThat(json.isArray()).isTrue();
      assertThat(json).hasSize(2);
      assertThat(json.get(0).has("id")).as("an id field").isFalse();
      JsonNode aliceNode = find(json, alice);
      assertThat(aliceNode.get("user").asText()).isEqualTo("alice");
      assertThat(aliceNode.get("expired").asBoolean()).isFalse();
      assertThat(aliceNode.get("expiry").asText()).isEqualTo(alice.expiryDate().toString());
      JsonNode expiredNode = find(json, expired);
      assertThat(expiredNode.get("user").isNull()).isTrue();
      assertThat(expiredNode.get("expired").asBoolean()).isTrue();
    }

    @Test
    void printsAnEmptyJsonArrayForAnEmptyStore() throws Exception {
      assertThat(cli.run("migrate").exitCode()).isZero();

      Cli.Run run = cli.run("sessions", "dump", "--json");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(new ObjectMapper().readTree(run.out()).isEmpty()).isTrue();
    }

    @Test
    void replacesFormatCharactersAndLineSeparatorsInUserIdsLikeControlCharacters() {
      // right-to-left override, zero-width space, line and paragraph separators, a BOM
      Stores.seed(url, Stores.live("\u202Eeve\u200Bil\u2028x\u2029y\uFEFFz"));

      Cli.Run run = cli.run("sessions", "dump");

      assertThat(run.out())
          .contains("?eve?il?x?y?z")
          .doesNotContain("\u202E", "\u200B", "\u2028", "\u2029", "\uFEFF");
    }

    @Test
    void replacesControlCharactersInUserIdsSoTheTerminalIsSafe() {
      Stores.seed(url, Stores.live("evil\u001b[2Juser"));

      Cli.Run run = cli.run("sessions", "dump");

      assertThat(run.out()).contains("evil?[2Juser").doesNotContain("\u001b");
    }

    private JsonNode find(JsonNode array, SessionRecord record) {
      String ref = Stores.ref(url, record);
      for (JsonNode node : array) {
        if (node.get("ref").asText().equals(ref)) {
          return node;
        }
      }
      throw new AssertionError("no session " + ref + " in " + array);
    }
  }

  @Nested
  class Revoke {

    @Test
    void deletesTheSessionItsFullRefNamesAndLeavesTheOthers() {
      List<SessionRecord> alice = Stores.seed(url, Stores.live("alice"), Stores.live("alice"));
      String ref = Stores.ref(url, alice.get(0));

      Cli.Run run = cli.run("sessions", "revoke", ref);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).isEqualTo("Revoked session " + ref + System.lineSeparator());
      assertThat(Stores.load(url, alice))
          .extracting(SessionRecord::id)
          .containsExactly(alice.get(1).id());
    }

    @Test
    void aPrefixStartingWithADashIsTakenAsTheRefNotAsAnOption() {
      Stores.seed(url, Stores.live("alice"));

      Cli.Run run = cli.run("sessions", "revoke", "-AbCdEfGh");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).contains("No session has a ref starting with '-AbCdEfGh'");
    }

    @Test
    void deletesTheSessionTheFirstEightCharactersOfItsRefName() {
      List<SessionRecord> seeded = Stores.seed(url, Stores.live("alice"), Stores.expired("bob"));
      String ref = Stores.ref(url, seeded.get(1));

      Cli.Run run = cli.run("sessions", "revoke", ref.substring(0, RevokeCommand.MIN_PREFIX));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      // the full ref, so the operator sees which session went
      assertThat(run.out()).isEqualTo("Revoked session " + ref + System.lineSeparator());
      assertThat(Stores.stored(url)).isOne();
      assertThat(Stores.load(url, seeded))
          .extracting(SessionRecord::id)
          .containsExactly(seeded.get(0).id());
    }

    @Test
    void refusesAPrefixShorterThanEightCharactersAsAWrongCommandLine() {
      List<SessionRecord> alice = Stores.seed(url, Stores.live("alice"));
      String ref = Stores.ref(url, alice.get(0));

      Cli.Run run = cli.run("sessions", "revoke", ref.substring(0, RevokeCommand.MIN_PREFIX - 1));

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
          .contains("REF", "at least 8 characters", "--help')");
      assertThat(Stores.load(url, alice)).hasSize(1);
    }

    @Test
    void failsWhenNoSessionsRefStartsWithThePrefixAndDeletesNothing() {
      List<SessionRecord> alice = Stores.seed(url, Stores.live("alice"));
      String ref = Stores.ref(url, alice.get(0));
      String unknown = (ref.charAt(0) == 'A' ? "B" : "A") + ref.substring(1, 8);

      Cli.Run run = cli.run("sessions", "revoke", unknown);

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .startsWith("bodhi-sessions: No session has a ref starting with '" + unknown + "'");
      assertThat(run.out()).isEmpty();
      assertThat(Stores.load(url, alice)).hasSize(1);
    }

    @Test
    void showsTypedTextThatIsNoRefSafelyAndFindsNothingForIt() {
      Stores.seed(url, Stores.live("alice"));

      Cli.Run run = cli.run("sessions", "revoke", "\u001b[2Jabcdefgh");

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .contains("No session has a ref starting with '?[2Jabcdefgh'")
          .doesNotContain("\u001b");
      assertThat(Stores.stored(url)).isOne();
    }

    @Test
    void needsARef() {
      Cli.Run run = cli.run("sessions", "revoke");

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE).contains("Missing required parameter", "REF");
    }
  }

  @Nested
  class PurgeExpired {

    @Test
    void deletesExpiredSessionsAndKeepsLiveOnes() {
      List<SessionRecord> live = Stores.seed(url, Stores.live("alice"), Stores.live(null));
      Stores.seed(url, Stores.expired("alice"), Stores.expired("bob"), Stores.expired(null));

      Cli.Run run = cli.run("sessions", "purge-expired");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("Deleted 3 expired sessions.");
      assertThat(Stores.stored(url)).isEqualTo(2);
      assertThat(Stores.load(url, live)).hasSize(2);
    }

    @Test
    void saysSoWhenThereIsNothingToPurge() {
      Cli.Run run = cli.run("sessions", "purge-expired");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("Deleted 0 expired sessions.");
    }
  }

  @Nested
  class Copy {

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
    void needsTo() {
      Cli.Run run = cli.run("sessions", "copy");

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
          .contains("Missing required option: '--to=URL'");
    }

    @Test
    void refusesABatchSizeOutOfRangeAsAWrongCommandLine() {
      Cli.Run run = cli.run("sessions", "copy", "--to", targetUrl, "--batch-size", "0");

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
          .contains("--batch-size", "0 is out of range: it must be from 1 to");
      assertThat(Path.of(targetUrl.substring("sqlite:".length()))).doesNotExist();
    }
  }

  @Nested
  class Doctor {

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
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code sessions} commands that read or delete sessions in place (count, list, clear, dump,
 * revoke, purge-expired), run in-process against real SQLite files in a temporary BODHI_HOME.
 */
class SessionsCommandsTest extends AdminCommandTestBase {

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
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What every command shares: help, usage errors, and one-line errors for a store it cannot use. */
class CommandLineTest {

  /** Every command that opens the session store, with the arguments it needs besides the URL. */
  static Stream<List<String>> storeCommands() {
    return Stream.of(
        List.of("migrate"),
        List.of("sessions", "count", "--user", "alice"),
        List.of("sessions", "list", "--user", "alice"),
        List.of("sessions", "clear", "--user", "alice", "--yes"),
        List.of("sessions", "clear", "--all", "--yes"),
        List.of("sessions", "dump"),
        List.of("sessions", "dump", "--json"),
        List.of("sessions", "revoke", "AAAAAAAA"),
        List.of("sessions", "purge-expired"),
        List.of("sessions", "copy", "--to", "sqlite::memory:"));
  }

  /** Command lines picocli refuses before a command runs, each with what its one line says. */
  static Stream<Arguments> wrongCommandLines() {
    return Stream.of(
        Arguments.of(List.of("sessions", "frobnicate"), List.of("frobnicate")),
        Arguments.of(List.of("sessions"), List.of("Missing subcommand")),
        Arguments.of(List.of("serve", "--port", "eighty"), List.of("--port")),
        Arguments.of(List.of("sessions", "copy"), List.of("Missing required option: '--to=URL'")),
        Arguments.of(
            List.of("sessions", "copy", "--to", " "), List.of("--to", "must not be blank")),
        Arguments.of(List.of("sessions", "clear", "--yes"), List.of("Missing required argument")),
        Arguments.of(
            List.of("sessions", "clear", "--user", "alice", "--all", "--yes"),
            List.of("mutually exclusive")),
        Arguments.of(List.of("sessions", "revoke"), List.of("Missing required parameter", "REF")));
  }

  /** Every command, as typed before {@code --help}. */
  static Stream<List<String>> everyCommand() {
    Stream<List<String>> others =
        Stream.of(List.<String>of(), List.of("serve"), List.of("doctor"), List.of("sessions"));
    Stream<List<String>> store =
        storeCommands().map(command -> command.subList(0, Math.min(2, command.size())));
    return Stream.concat(others, store).distinct();
  }

  /** One token on a line, neither an option or group of a synopsis nor a heading. */
  private static final String LONE_WORD = "[^-\\[(<\\s][^\\s]*(?<!:)";

  @TempDir Path home;

  private Cli cli;

  @BeforeEach
  void setUp() {
    cli = Cli.withHome(home);
  }

  @Nested
  class Help {

    @ParameterizedTest
    @MethodSource("app.getbodhi.session.cli.CommandLineTest#everyCommand")
    void everyCommandExplainsItselfWithHelp(List<String> command) {
      Cli.Run run = cli.run(with(command, "--help"));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).startsWith("Usage: bodhi-sessions").contains("-h, --help");
      assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("app.getbodhi.session.cli.CommandLineTest#everyCommand")
    void noLineOfTheHelpIsALoneWordLeftOverFromWrapping(List<String> command) {
      Cli.Run run = cli.run(with(command, "--help"));

      // picocli wraps at its default width of 80. A lone word is one token of prose: not a
      // heading such as "Commands:", and not an option of a wrapped synopsis such as "--to=URL"
      assertThat(run.out().lines())
          .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80))
          .noneSatisfy(line -> assertThat(line.strip()).as(line).matches(LONE_WORD));
    }

    @Test
    void theTopLevelHelpListsTheCommandsAndTheSettings() {
      Cli.Run run = cli.run("--help");

      assertThat(run.out())
          .contains("serve", "migrate", "sessions", "doctor")
          .contains(
              SettingService.BODHI_HOME,
              SettingService.BODHI_SESSION_DB_URL,
              SettingService.BODHI_DEPLOYMENT,
              SettingService.BODHI_SESSION_SECRET,
              SettingService.BODHI_SESSION_SECRET_FILE,
              SettingService.BODHI_SESSION_SECRET_PREVIOUS,
              SettingService.BODHI_SESSION_SECRET_PREVIOUS_FILE,
              SettingService.BODHI_SESSION_LIFETIME,
              SettingService.BODHI_SESSION_SECURE_COOKIE,
              SettingService.BODHI_SESSION_CLEANUP_INTERVAL);
    }

    @Test
    void theSessionsHelpListsItsSubcommands() {
      Cli.Run run = cli.run("sessions", "--help");

      assertThat(run.out())
          .contains("count", "list", "clear", "dump", "revoke", "purge-expired", "copy");
    }

    @Test
    void everyStoreCommandTakesDbUrl() {
      storeCommands()
          .forEach(
              command ->
                  assertThat(
                          cli.run(with(command.subList(0, Math.min(2, command.size())), "--help"))
                              .out())
                      .as(String.join(" ", command))
                      .contains("--db-url=URL"));
      assertThat(cli.run("serve", "--help").out()).contains("--db-url=URL", "--port", "--host");
      assertThat(cli.run("doctor", "--help").out()).contains("--db-url=URL");
    }

    @Test
    void withoutACommandTheUsageIsShown() {
      Cli.Run run = cli.run();

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("Usage: bodhi-sessions");
    }

    @Test
    void versionNamesTheProgram() {
      Cli.Run run = cli.run("--version");

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("bodhi-sessions ");
    }
  }

  @Nested
  class UsageErrors {

    @ParameterizedTest
    @ValueSource(strings = {"count", "list"})
    void aMissingUserIsOneLineWithExitCode2(String command) {
      Cli.Run run = cli.run("sessions", command);

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_USAGE);
      assertThat(run.err())
          .isEqualTo(
              "bodhi-sessions: Missing required option: '--user=USER' (see 'bodhi-sessions"
                  + " sessions "
                  + command
                  + " --help')"
                  + System.lineSeparator());
      assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"count", "list"})
    void aBlankUserIsAWrongCommandLine(String command) {
      Cli.Run run = cli.run("sessions", command, "--user", "  ");

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
          .contains("Invalid value for option '--user': must not be blank", "--help')");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("app.getbodhi.session.cli.CommandLineTest#wrongCommandLines")
    void aWrongCommandLineIsOneLineSayingWhatIsWrong(List<String> args, List<String> said) {
      Cli.Run run = cli.run(args.toArray(String[]::new));

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE).contains(said);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
      "serve, --port, 99999",
      "serve, --port, 65536",
      "serve, --port, -1",
      "copy, --batch-size, 0",
      "copy, --batch-size, -5",
      "copy, --batch-size, 1000000",
      "copy, --batch-size, many"
    })
    void aValueOutOfRangeIsAWrongCommandLineWithTheUsageHint(
        String command, String option, String value) {
      List<String> args =
          command.equals("serve")
              ? List.of("serve", option, value)
              : List.of("sessions", "copy", "--to", "sqlite::memory:", option, value);

      Cli.Run run = cli.run(args.toArray(String[]::new));

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
          .startsWith("bodhi-sessions: Invalid value for option '" + option)
          .contains(value, "from ")
          .endsWith("--help')" + System.lineSeparator());
      assertThat(run.out()).isEmpty();
      assertThat(home).isEmptyDirectory();
    }
  }

  @Nested
  class StoreErrors {

    @ParameterizedTest
    @MethodSource("app.getbodhi.session.cli.CommandLineTest#storeCommands")
    void anUnsupportedUrlIsOneLineOnStderrWithoutThePassword(List<String> command) {
      Cli.Run run = cli.run(with(command, "--db-url", "mysql://root:hunter2@db.example/app"));

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .startsWith("bodhi-sessions: No session store backend accepts the URL scheme 'mysql'")
          .contains("root:***@db.example")
          .doesNotContain("hunter2", "Exception", "\tat ");
      assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachablePostgresIsOneLineOnStderrWithoutThePassword() {
      // one command only: the pool waits out its connection timeout before it gives up
      Cli.Run run =
          cli.run(
              "sessions",
              "count",
              "--user",
              "alice",
              "--db-url",
              "postgres://bodhi:hunter2@127.0.0.1:1/db");

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .startsWith("bodhi-sessions: ")
          .contains("bodhi:***@127.0.0.1:1/db")
          .doesNotContain("hunter2", "\tat ");
    }

    @ParameterizedTest
    @MethodSource("app.getbodhi.session.cli.CommandLineTest#storeCommands")
    void clusterModeRefusesSqlite(List<String> command) {
      Cli.Run run =
          cli.with(SettingService.BODHI_DEPLOYMENT, "cluster")
              .with(SettingService.BODHI_SESSION_SECRET, SettingsParityTest.SECRET)
              .run(command.toArray(String[]::new));

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .startsWith(
              "bodhi-sessions: "
                  + "BODHI_DEPLOYMENT=cluster needs sessions in a database every node shares");
    }

    @Test
    void aMalformedSqliteUrlIsOneLine() {
      Cli.Run run = cli.run("migrate", "--db-url", "sqlite:");

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .startsWith("bodhi-sessions: The SQLite session URL");
    }
  }

  @Nested
  class DbUrlOption {

    @Test
    void isAcceptedBeforeTheCommandToo() {
      String url = "sqlite:" + home.resolve("elsewhere.sqlite");

      Cli.Run before = cli.run("--db-url", url, "doctor");
      Cli.Run migrate = cli.run("--db-url", url, "migrate");
      Cli.Run count = cli.run("--db-url", url, "sessions", "count", "--user", "alice");

      assertThat(before.exitCode()).as(before.toString()).isZero();
      assertThat(before.out()).contains(url + " (from --db-url)");
      assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
      assertThat(home.resolve("elsewhere.sqlite")).exists();
      assertThat(count.out().strip()).as(count.toString()).isEqualTo("0");
      assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).doesNotExist();
    }

    @Test
    void givenBeforeAndAfterTheCommandIsAWrongCommandLine() {
      Cli.Run run =
          cli.run(
              "--db-url", "sqlite:" + home.resolve("a"), "doctor", "--db-url", "sqlite::memory:");

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE).contains("--db-url", "give it once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void blankIsAWrongCommandLineNotTheDefaultStore(String blank) {
      Cli.Run after = cli.run("migrate", "--db-url", blank);
      Cli.Run before = cli.run("--db-url", blank, "migrate");

      after.failedWithOneLine(BodhiSessions.EXIT_USAGE).contains("--db-url", "must not be blank");
      before.failedWithOneLine(BodhiSessions.EXIT_USAGE).contains("must not be blank");
      assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "postgres://bodhi:hunter2@db.example:99999/app",
          "postgres://bodhi:hunter2@db.example:0/app",
          "postgres://bodhi:hunter2@db.example:54x2/app",
          "postgres://bodhi:hunter2@h1:5432,h2:654321/app"
        })
    void aPortOutOfRangeIsAWrongCommandLineLikePort(String url) {
      Cli.Run run = cli.run("doctor", "--db-url", url);
      Cli.Run copy = cli.run("sessions", "copy", "--to", url);
      Cli.Run port = cli.run("serve", "--port", "99999");

      run.failedWithOneLine(BodhiSessions.EXIT_USAGE)
          .contains("--db-url", "port that is not a number from 1 to 65535", "bodhi:***@")
          .doesNotContain("hunter2");
      copy.failedWithOneLine(BodhiSessions.EXIT_USAGE)
          .contains("--to", "port that is not a number from 1 to 65535")
          .doesNotContain("hunter2");
      assertThat(port.exitCode()).isEqualTo(run.exitCode());
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "postgres://bodhi:pw@db.example:5432/app",
          "postgres://h1:5432,h2:5433/app?target_session_attrs=read-write",
          "postgres://[::1]:5432/app",
          "postgres://db.example/app",
          "sqlite:relative.sqlite"
        })
    void wellFormedPortsPass(String url) {
      assertThat(OptionValues.DbUrl.ports(url))
          .allSatisfy(p -> assertThat(Integer.parseInt(p)).isBetween(1, 65535));
      assertThat(new OptionValues.DbUrl().convert(url)).isEqualTo(url);
    }
  }

  private static String[] with(List<String> command, String... more) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}

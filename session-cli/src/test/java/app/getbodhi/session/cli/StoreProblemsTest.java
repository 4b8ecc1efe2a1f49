package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.tck.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the commands say about a SQLite store they cannot use, on real files: {@code doctor} reports
 * each problem and exits with 1, and the commands that only read never create a folder, a file or a
 * table, saying instead how to create the database.
 */
class StoreProblemsTest {

  /** The commands that only read the store: doctor, and those of the store commands that read. */
  static Stream<List<String>> readOnlyCommands() {
    Set<String> reading = Set.of("count", "list", "dump");
    return Stream.concat(
        Stream.of(List.of("doctor")),
        CommandLineTest.storeCommands()
            .filter(
                command -> command.get(0).equals("sessions") && reading.contains(command.get(1))));
  }

  @TempDir Path dir;

  private Cli cli;

  @BeforeEach
  void setUp() {
    cli = Cli.withHome(dir.resolve("home"));
  }

  /** Every name under the test's folder, to compare before and after. */
  private List<String> contents() throws IOException {
    return Folders.contents(dir);
  }

  private Path unwritableFolder() throws IOException {
    return Folders.unwritableFolder(dir);
  }

  /** Puts a file where BODHI_HOME, the default database's folder, should be. */
  private Path homeIsAFile() throws IOException {
    return Files.writeString(dir.resolve("home"), "BODHI_HOME points at a file");
  }

  /** A file where a SQLite database should be that is not one. */
  private Path damagedDatabaseFile() throws IOException {
    return Files.writeString(dir.resolve("s.sqlite"), "not a database. ".repeat(512));
  }

  private Cli.Run run(List<String> command, String... more) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new));
  }

  @Nested
  class DoctorFindsAProblem {

    @Test
    void whenTheFolderCannotBeCreatedOrWritten() throws IOException {
      Path locked = unwritableFolder();

      Cli.Run run = cli.run("doctor", "--db-url", "sqlite:" + locked.resolve("sub/s.sqlite"));

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.out())
          .contains("problem: The folder " + locked + " is not writable by this user")
          .doesNotContain("No problems found.");
    }

    @Test
    void whenAReadOnlyUrlNamesAFileThatIsMissing() {
      Cli.Run run = cli.run("doctor", "--db-url", "sqlite:" + dir.resolve("s.sqlite") + "?mode=ro");

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.out()).contains("does not allow creating it").doesNotContain("No problems");
    }

    @Test
    void whenTheFileIsDamaged() throws IOException {
      Path file = damagedDatabaseFile();

      Cli.Run run = cli.run("doctor", "--db-url", "sqlite:" + file);

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.out())
          .containsPattern("database +cannot be used")
          .contains("problem: The SQLite session file " + file + " is damaged")
          .doesNotContain("No problems found.");
    }

    @Test
    void andStillChangesNothing() throws IOException {
      homeIsAFile();
      List<String> before = contents();

      cli.run("doctor");
      cli.run("doctor", "--db-url", "sqlite:" + dir.resolve("a/b/c.sqlite"));

      assertThat(contents()).isEqualTo(before);
    }
  }

  @Nested
  class ReadOnlyCommands {

    @ParameterizedTest
    @MethodSource("app.getbodhi.session.cli.StoreProblemsTest#readOnlyCommands")
    void createNoFolderAndNoFileWhenTheDatabaseIsMissing(List<String> command) throws IOException {
      List<String> before = contents();

      Cli.Run run = run(command);

      assertThat(contents()).isEqualTo(before);
      assertThat(dir.resolve("home")).doesNotExist();
      if (!command.get(0).equals("doctor")) {
        assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
        assertThat(run.err())
            .isEqualTo(
                "bodhi-sessions: The sqlite session database at "
                    + cli.defaultUrl()
                    + " does not exist yet. Create it with 'bodhi-sessions migrate' (serve"
                    + " creates it too)."
                    + System.lineSeparator());
        assertThat(run.out()).isEmpty();
      }
    }

    @ParameterizedTest
    @MethodSource("app.getbodhi.session.cli.StoreProblemsTest#readOnlyCommands")
    void createNoTableInADatabaseThatHasNone(List<String> command) throws Exception {
      Path file = dir.resolve("app.sqlite");
      try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE unrelated (x INTEGER)");
      }

      Cli.Run run = run(command, "--db-url", "sqlite:" + file);

      assertThat(tables(file)).containsExactly("unrelated");
      if (!command.get(0).equals("doctor")) {
        run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
            .contains("has no session table yet. Create it with 'bodhi-sessions migrate'");
      }
    }

    @Test
    void refuseAnInMemoryDatabaseThatCouldOnlyBeEmpty() {
      Cli.Run run = cli.run("sessions", "count", "--user", "alice", "--db-url", "sqlite::memory:");

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE).contains("lives in memory");
    }

    @Test
    void sayWhyADamagedFileCannotBeRead() throws IOException {
      Path file = damagedDatabaseFile();

      Cli.Run run = cli.run("sessions", "dump", "--db-url", "sqlite:" + file);

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE).contains(file + " is damaged");
    }
  }

  /** A file where BODHI_HOME, the default database's folder, should be. */
  @Nested
  class BodhiHomeIsAFile {

    private Path file;

    @BeforeEach
    void putAFileThere() throws IOException {
      file = homeIsAFile();
    }

    @Test
    void doctorReportsItAsAProblem() {
      Cli.Run run = cli.run("doctor");

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.out())
          .containsPattern("database +does not exist yet, and cannot be created as it is")
          .contains("problem: " + file + " is a file, not a folder")
          .doesNotContain("No problems found.");
      assertThat(run.err().strip()).isEqualTo("bodhi-sessions: doctor found 1 problem.");
    }

    @Test
    void migrateSaysWhyItCannotCreateTheDatabaseBeforeTryingTo() {
      Cli.Run run = cli.run("migrate");

      run.failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .startsWith("bodhi-sessions: " + file + " is a file, not a folder");
    }
  }

  @Nested
  class Migrate {

    @Test
    void createsTheDatabaseTheReadOnlyCommandsAskedFor() {
      assertThat(cli.run("sessions", "count", "--user", "alice").exitCode())
          .isEqualTo(BodhiSessions.EXIT_FAILURE);

      assertThat(cli.run("migrate").exitCode()).isZero();

      Cli.Run count = cli.run("sessions", "count", "--user", "alice");
      assertThat(count.exitCode()).as(count.toString()).isZero();
      assertThat(count.out().strip()).isEqualTo("0");
      assertThat(dir.resolve("home").resolve(SettingService.SESSION_DB_FILE_NAME)).exists();
    }
  }

  private static List<String> tables(Path file) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      List<String> names = new ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    }
  }
}

package app.getbodhi.session.sqlite;

import static app.getbodhi.session.tck.Inspections.assertUnreadable;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import app.getbodhi.session.spi.StoreInspection.SessionCounts;
import app.getbodhi.session.tck.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite provider's read-only look, on real files: what it reports, and that it leaves the
 * folder exactly as it found it (no folder, no database, not even SQLite's -wal and -shm files).
 */
class SqliteInspectionTest {

  private final SessionStoreProvider provider = new SqliteSessionStoreProvider();

  @TempDir Path dir;

  /** Every name under the test's folder, to compare before and after. */
  private List<String> contents() throws IOException {
    return Folders.contents(dir);
  }

  private Path unwritableFolder() throws IOException {
    return Folders.unwritableFolder(dir);
  }

  private static SessionRecord session(String user, Instant expiry) {
    return new SessionRecord(SessionId.generate(), Map.of("user_id", user), expiry);
  }

  @Nested
  class AMissingDatabase {

    @Test
    void isReportedMissingWithoutAProblemWhenItsFolderCanBeCreated() throws IOException {
      List<String> before = contents();

      StoreInspection inspection =
          provider.inspect("sqlite:" + dir.resolve("not/yet/session.sqlite"));

      assertThat(inspection.database()).isEqualTo(Database.MISSING);
      assertThat(inspection.problems()).isEmpty();
      assertThat(inspection.schemaVersion()).isEmpty();
      assertThat(contents()).isEqualTo(before);
    }

    @Test
    void isAProblemWhenAParentIsAFile() throws IOException {
      Path file = Files.writeString(dir.resolve("notes.txt"), "a file, not a folder");

      StoreInspection inspection = provider.inspect("sqlite:" + file.resolve("sub/s.sqlite"));

      assertThat(inspection.database()).isEqualTo(Database.MISSING);
      assertThat(inspection.problems())
          .singleElement()
          .asString()
          .contains(file + " is a file, not a folder");
    }

    @Test
    void isAProblemWhenItsFolderCannotBeWritten() throws IOException {
      Path locked = unwritableFolder();

      StoreInspection inspection = provider.inspect("sqlite:" + locked.resolve("sub/s.sqlite"));

      assertThat(inspection.problems())
          .singleElement()
          .asString()
          .contains("The folder " + locked + " is not writable by this user");
      assertThat(locked.resolve("sub")).doesNotExist();
    }

    @Test
    void isAProblemWhenTheUrlsModeForbidsCreatingIt() {
      StoreInspection inspection =
          provider.inspect("sqlite:" + dir.resolve("s.sqlite") + "?mode=ro");

      assertThat(inspection.database()).isEqualTo(Database.MISSING);
      assertThat(inspection.problems())
          .singleElement()
          .asString()
          .contains("does not exist, and the URL's mode (mode=ro) does not allow creating it");
    }
  }

  @Nested
  class AnExistingDatabase {

    @Test
    void reportsTheSchemaVersionAndTheLiveAndExpiredSessions() throws IOException {
      String url = "sqlite:" + dir.resolve("s.sqlite");
      Instant now = Instant.now();
      try (SqliteSessionStore store = SqliteSessionStore.open(url)) {
        store.migrate();
        store.save(session("alice", now.plus(Duration.ofDays(1))));
        store.save(session("alice", now.plus(Duration.ofDays(1))));
        store.save(session("bob", now.plus(Duration.ofDays(1))));
        store.save(session("carol", now.minus(Duration.ofHours(1))));
      }
      List<String> before = contents();

      StoreInspection inspection = provider.inspect(url);

      assertThat(inspection.database()).isEqualTo(Database.FOUND);
      assertThat(inspection.problems()).isEmpty();
      assertThat(inspection.schemaVersion()).hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
      assertThat(inspection.sessions()).contains(new SessionCounts(3, 1, 2));
      assertThat(contents()).as("no -wal or -shm file left behind").isEqualTo(before);
    }

    @Test
    void isReadWhileAServerHoldsItOpen() {
      String url = "sqlite:" + dir.resolve("s.sqlite");
      try (SqliteSessionStore store = SqliteSessionStore.open(url)) {
        store.migrate();
        store.save(session("alice", Instant.now().plus(Duration.ofDays(1))));

        StoreInspection inspection = provider.inspect(url);

        assertThat(inspection.sessions()).contains(new SessionCounts(1, 0, 1));
      }
    }

    @Test
    void withoutTheSessionTableIsFoundButNotMigratedAndStaysSo() throws Exception {
      Path file = dir.resolve("app.sqlite");
      execute(file, "CREATE TABLE unrelated (x INTEGER)");

      StoreInspection inspection = provider.inspect("jdbc:sqlite:" + file);

      assertThat(inspection.database()).isEqualTo(Database.FOUND);
      assertThat(inspection.migrated()).isFalse();
      assertThat(inspection.problems()).isEmpty();
      assertThat(tables(file)).containsExactly("unrelated");
    }

    @Test
    void givenAsADriverFileUriIsReadLikeAnyOtherSpelling() {
      Path file = dir.resolve("uri.sqlite");
      try (SqliteSessionStore store = SqliteSessionStore.open("sqlite:" + file)) {
        store.migrate();
      }

      StoreInspection inspection = provider.inspect("jdbc:sqlite:file:" + file + "?cache=shared");

      assertThat(inspection.database()).isEqualTo(Database.FOUND);
      assertThat(inspection.migrated()).isTrue();
    }

    @Test
    void thatIsNotADatabaseIsAProblem() throws IOException {
      Path file = Files.writeString(dir.resolve("s.sqlite"), "not a database. ".repeat(512));

      StoreInspection inspection = provider.inspect("sqlite:" + file);

      assertUnreadable(inspection).contains("is damaged (PRAGMA quick_check:", "not a database");
    }

    @Test
    void whosePagesAreDamagedFailsTheQuickCheck() throws Exception {
      Path file = dir.resolve("s.sqlite");
      execute(
          file,
          "PRAGMA page_size = 4096",
          "CREATE TABLE t (x INTEGER, y BLOB)",
          "CREATE INDEX t_x ON t (x)",
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
              + " INSERT INTO t SELECT i, randomblob(100) FROM n");
      byte[] bytes = Files.readAllBytes(file);
      // overwrite most of the fourth page: the file header stays valid, a b-tree page does not
      for (int i = 3 * 4096; i < 3 * 4096 + 3000; i++) {
        bytes[i] = 0x5a;
      }
      Files.write(file, bytes);

      StoreInspection inspection = provider.inspect("sqlite:" + file);

      assertUnreadable(inspection)
          .contains(file + " is damaged (PRAGMA quick_check:")
          .doesNotContain("\n");
    }

    @Test
    void isAProblemWhenItIsAFolder() throws IOException {
      Path folder = Files.createDirectory(dir.resolve("s.sqlite"));

      StoreInspection inspection = provider.inspect("sqlite:" + folder);

      assertUnreadable(inspection).contains("is a folder");
    }
  }

  @Test
  void anInMemoryDatabaseLivesInOneProcessAndCannotBeLookedAt() {
    StoreInspection inspection = provider.inspect("sqlite::memory:");

    assertThat(inspection.database()).isEqualTo(Database.IN_MEMORY);
    assertThat(inspection.problems()).isEmpty();
  }

  @Test
  void aMalformedUrlIsAProblemNotAnException() {
    StoreInspection inspection = provider.inspect("sqlite:");

    assertUnreadable(inspection).contains("is malformed");
  }

  @Test
  void aFileOnOneMachineIsNotSharedByNodes() {
    assertThat(provider.sharedByNodes()).isFalse();
    assertThat(provider.artifact()).isEqualTo("app.getbodhi:session-sqlite");
  }

  @Nested
  class SameStore {

    @Test
    void holdsForEverySpellingOfOneFile() throws IOException {
      Path file = dir.resolve("data/session.sqlite");
      Files.createDirectories(file.getParent());
      Path link = Files.createSymbolicLink(dir.resolve("link"), file.getParent());
      Path relative = Path.of("").toAbsolutePath().relativize(file);
      String url = "sqlite:" + file;

      assertThat(
              List.of(
                  "sqlite://" + file,
                  "jdbc:sqlite:" + file,
                  "sqlite:./" + relative,
                  "sqlite:" + dir.resolve("data/../data/session.sqlite"),
                  "sqlite:" + link.resolve("session.sqlite"),
                  "jdbc:sqlite:file:" + file + "?cache=shared"))
          .allSatisfy(other -> assertThat(provider.sameStore(url, other)).as(other).isTrue());
    }

    @Test
    void holdsThroughASymbolicLinkBeforeTheFileExists() throws IOException {
      Path folder = Files.createDirectories(dir.resolve("real"));
      Path link = Files.createSymbolicLink(dir.resolve("alias"), folder);

      assertThat(
              provider.sameStore(
                  "sqlite:" + folder.resolve("s.sqlite"), "sqlite:" + link.resolve("s.sqlite")))
          .isTrue();
    }

    @Test
    void failsForAnotherFileAndForInMemoryDatabases() {
      assertThat(provider.sameStore("sqlite:" + dir.resolve("a"), "sqlite:" + dir.resolve("b")))
          .isFalse();
      assertThat(provider.sameStore("sqlite::memory:", "sqlite::memory:")).isFalse();
    }
  }

  private static void execute(Path file, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static List<String> tables(Path file) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      List<String> names = new java.util.ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    }
  }
}

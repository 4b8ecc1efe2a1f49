package app.getbodhi.session.sqlite;

import static app.getbodhi.session.tck.StoreChecks.assertMigratesAndKeepsWhatItSaves;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Checks what is SQLite's own; the shared contract runs in session-tests. */
class SqliteSessionStoreTest {

  @TempDir Path dir;

  @Test
  void openCreatesMissingFoldersAndTheFileInWalMode() throws Exception {
    Path file = dir.resolve("a/b/session.sqlite");
    try (SqliteSessionStore store = SqliteSessionStore.open("sqlite:" + file)) {
      store.migrate();
      store.save(record("alice"));
    }
    assertThat(file).exists();
    assertThat(query(file, "PRAGMA journal_mode")).isEqualTo("wal");
  }

  @Test
  void anInMemoryStoreKeepsItsDataWhileOpen() {
    try (SqliteSessionStore store = SqliteSessionStore.open("sqlite::memory:")) {
      assertMigratesAndKeepsWhatItSaves(store, record("bob"));
    }
  }

  @Test
  void migrateAdoptsALegacyTableWithoutUserIdAndKeepsItsRows() throws Exception {
    Path file = dir.resolve("legacy.sqlite");
    SQLiteDataSource raw = new SQLiteDataSource();
    raw.setUrl("jdbc:sqlite:" + file);
    SessionId legacyId = SessionId.generate();
    try (Connection c = raw.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE bodhi_sessions (id TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL,"
              + " expiry_date INTEGER NOT NULL)");
      s.execute(
          "INSERT INTO bodhi_sessions VALUES ('"
              + legacyId.value()
              + "', CAST('{\"n\":1}' AS BLOB), 32503680000000)");
    }

    try (SqliteSessionStore store = new SqliteSessionStore(raw)) {
      store.migrate();
      assertThat(store.load(legacyId)).map(r -> r.data()).contains(Map.of("n", 1L));
    }
    assertThat(
            query(
                file,
                "SELECT count(*) FROM pragma_table_info('bodhi_sessions') WHERE name = 'user_id'"))
        .isEqualTo("1");
  }

  @Test
  void aReadOnlyUrlRefusesAMissingFile() {
    assertThatThrownBy(
            () -> SqliteSessionStore.open("sqlite:" + dir.resolve("none.db") + "?mode=ro"))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
        .hasMessageContaining("does not exist");
    assertThat(Files.exists(dir.resolve("none.db"))).isFalse();
  }

  @Test
  void reusedStatementsSeeOtherWritersAndHoldNoReadSnapshot() throws Exception {
    Path file = dir.resolve("reuse.sqlite");
    try (SqliteSessionStore reader = SqliteSessionStore.open("sqlite:" + file);
        SqliteSessionStore writer = SqliteSessionStore.open("sqlite:" + file)) {
      reader.migrate();
      SessionRecord first = record("alice");
      writer.save(first);
      for (int i = 0; i < 50; i++) {
        assertThat(reader.load(first.id())).contains(first);
        assertThat(reader.countSessionsForUser("alice")).isEqualTo(1);
      }
      SessionRecord changed =
          new SessionRecord(first.id(), Map.of("user_id", "bob"), first.expiryDate());
      writer.save(changed);

      assertThat(reader.load(first.id())).map(SessionRecord::data).contains(changed.data());
      assertThat(reader.countSessionsForUser("alice")).isZero();
      // a statement left open mid-read would keep a WAL snapshot and make this report busy
      assertThat(query(file, "PRAGMA wal_checkpoint(TRUNCATE)")).isEqualTo("0");
    }
  }

  @Test
  void aStoreOnACallersDataSourceWorksWithoutTheCacheAndLeavesNothingOpen() throws Exception {
    Path file = dir.resolve("callers.sqlite");
    SQLiteDataSource raw = new SQLiteDataSource();
    raw.setUrl("jdbc:sqlite:" + file);
    try (SqliteSessionStore store = new SqliteSessionStore(raw)) {
      assertMigratesAndKeepsWhatItSaves(store, record("carol"));
    }
    // every connection was a fresh one and is closed: the file can be checkpointed and removed
    assertThat(query(file, "PRAGMA wal_checkpoint(TRUNCATE)")).isEqualTo("0");
  }

  @Test
  void perUserQueriesAreAnsweredFromTheCoveringUserIndex() throws Exception {
    Path file = dir.resolve("plan.sqlite");
    try (SqliteSessionStore store = SqliteSessionStore.open("sqlite:" + file)) {
      store.migrate();
      assertThat(
              query(
                  file,
                  "SELECT group_concat(name, ',') FROM"
                      + " pragma_index_info('idx_bodhi_sessions_user_id')"))
          .isEqualTo("user_id,expiry_date,id");
      assertThat(queryPlan(file, store.statements().get("countSessionsForUser")))
          .contains("USING COVERING INDEX idx_bodhi_sessions_user_id");
      // a listing also reads each session's times, so it visits the rows the index finds
      assertThat(queryPlan(file, store.statements().get("getSessionsForUser")))
          .contains("USING INDEX idx_bodhi_sessions_user_id");
    }
  }

  /** SQLite's plan for a statement whose parameters are a user id and an expiry. */
  private static String queryPlan(Path file, String sql) throws Exception {
    SQLiteDataSource raw = new SQLiteDataSource();
    raw.setUrl("jdbc:sqlite:" + file);
    try (Connection c = raw.getConnection();
        java.sql.PreparedStatement explain = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      explain.setString(1, "alice");
      explain.setLong(2, 0L);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          plan.append(rows.getString("detail")).append('\n');
        }
      }
      return plan.toString();
    }
  }

  @Test
  void theProviderAcceptsOnlySqliteUrls() {
    SqliteSessionStoreProvider provider = new SqliteSessionStoreProvider();
    assertThat(provider.supports("sqlite:x.db")).isTrue();
    assertThat(provider.supports("SQLite://x.db")).isTrue();
    assertThat(provider.supports("jdbc:sqlite:x.db")).isTrue();
    assertThat(provider.supports("postgres://h/db")).isFalse();
    assertThat(provider.supports(null)).isFalse();
  }

  /** A record with its times set, so that it loads back equal after its first write. */
  private static SessionRecord record(String user) {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    return new SessionRecord(
        SessionId.generate(),
        Map.of("user_id", user),
        Instant.parse("2999-01-01T00:00:00Z"),
        Optional.of(created),
        Optional.of(created),
        Optional.empty(),
        0);
  }

  private static String query(Path file, String sql) throws Exception {
    SQLiteDataSource raw = new SQLiteDataSource();
    raw.setUrl("jdbc:sqlite:" + file);
    try (Connection c = raw.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

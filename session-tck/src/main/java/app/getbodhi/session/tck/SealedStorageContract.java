package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The sealed-storage contract: what a copy of the session table gives away (no id, no data), what a
 * writer without the server secret can do (nothing that loads), how secrets rotate without logging
 * anyone out, and how the sealing migration turns a legacy table into a sealed one, even when
 * interrupted. Each claim of the threat model in {@code docs/security.md} names the test here that
 * holds it.
 *
 * <pre>{@code
 * class SqliteSealedStorageTest extends SealedStorageContract {
 *   SqliteSealedStorageTest() {
 *     super(SqliteFixture::tempFile, SqliteSessionStore::open, SqliteSessionStore::new);
 *   }
 * }
 * }</pre>
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SealedStorageContract extends StoreContractKit {

  /** A secret as an operator would set one: 32 random-looking bytes. */
  protected static final SessionSecret SECRET = secret(1);

  /** Another secret, the one {@link #SECRET} replaces in the rotation tests. */
  protected static final SessionSecret OLD_SECRET = secret(2);

  /**
   * For a backend whose database and stores each come from one factory call.
   *
   * @param databases makes a fresh, empty database
   * @param storesByUrl opens the store on a URL
   * @param storesOnPool opens the store on a caller's data source
   */
  protected SealedStorageContract(
      Supplier<TestDatabase> databases,
      BiFunction<String, SessionStoreConfig, ManagedSessionStore> storesByUrl,
      BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> storesOnPool) {
    super(databases, storesByUrl, storesOnPool);
  }

  private static SessionSecret secret(int variant) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (variant * 31 + i * 7);
    }
    return SessionSecret.of(bytes);
  }

  /** A session whose data holds a marker token, like the OAuth tokens applications keep. */
  private SessionRecord withMarker(String user, String marker) {
    return session(Map.of(SessionRecord.USER_ID_KEY, user, "access_token", marker));
  }

  private static String marker() {
    return "marker-" + SessionId.generate().value() + SessionId.generate().value();
  }

  /**
   * Every form in which an id could sit in a column: its text, its 16 bytes, their padded and
   * standard base64 and their hex.
   */
  private static List<byte[]> formsOf(SessionId id) {
    byte[] raw = id.bytes();
    List<byte[]> forms = new ArrayList<>();
    forms.add(id.value().getBytes(StandardCharsets.US_ASCII));
    forms.add(raw);
    forms.add(Base64.getEncoder().encode(raw));
    forms.add(Base64.getUrlEncoder().encode(raw));
    forms.add(HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
    forms.add(HexFormat.of().withUpperCase().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
    return forms;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private boolean tableHolds(byte[] needle) {
    return database.sessionTableCells().stream().anyMatch(cell -> contains(cell, needle));
  }

  @Nested
  @DisplayName("what a copy of the table holds")
  class WhatTheTableHolds {

    @Test
    void no_column_holds_a_session_id_in_any_form_nor_the_data_written_under_it() {
      String marker = marker();
      SessionRecord created = store().create(withMarker("alice", marker));
      SessionRecord loaded = store().load(created.id()).orElseThrow();
      SessionRecord rotated =
          store().rotate(created.id(), loaded.withId(SessionId.generate())).orElseThrow();
      SessionRecord other = store().create(withMarker("bob", marker()));
      store().save(withMarker("carol", marker()));

      for (SessionId id : List.of(created.id(), rotated.id(), other.id())) {
        for (byte[] form : formsOf(id)) {
          assertThat(tableHolds(form)).as("an id in some form").isFalse();
        }
      }
      assertThat(tableHolds(marker.getBytes(StandardCharsets.UTF_8))).isFalse();
      assertThat(tableHolds("access_token".getBytes(StandardCharsets.UTF_8)))
          .as("a key of the data")
          .isFalse();
    }

    @Test
    void the_search_for_leaks_finds_what_really_is_in_the_table() {
      SessionRecord created = store().create(withMarker("alice", marker()));

      assertThat(tableHolds("alice".getBytes(StandardCharsets.UTF_8)))
          .as("the user column stays readable, by design")
          .isTrue();
      assertThat(tableHolds(ref(created).value().getBytes(StandardCharsets.US_ASCII))).isTrue();
    }

    @Test
    void the_row_key_is_the_ref_a_one_way_function_of_the_id() {
      SessionRecord created = store().create(userSession("alice"));

      assertThat(database.queryStrings("SELECT id FROM " + TABLE))
          .containsExactly(ref(created).value());
      assertThat(ref(created).value())
          .hasSize(SessionRef.LENGTH)
          .isNotEqualTo(created.id().value());
      assertThat(store().refOf(created.id())).isEqualTo(ref(created));
      assertThat(store().refOf(SessionId.generate())).isNotEqualTo(ref(created));
    }

    @Test
    void data_is_sealed_under_a_format_byte_with_a_fresh_nonce_on_every_write() {
      SessionRecord created = createdAndLoaded(withMarker("alice", marker()));
      byte[] first = database.dataColumn(ref(created));

      assertThat(store().updateIfUnchanged(created)).isTrue();
      byte[] second = database.dataColumn(ref(created));

      assertThat(first[0]).as("format byte").isEqualTo((byte) 1);
      assertThat(second).hasSameSizeAs(first).isNotEqualTo(first);
      assertThat(Arrays.copyOfRange(second, 1, 13))
          .as("the nonce")
          .isNotEqualTo(Arrays.copyOfRange(first, 1, 13));
      assertThat(store().load(created.id()).orElseThrow().data()).isEqualTo(created.data());
    }
  }

  @Nested
  @DisplayName("a row that fails to open is no session")
  class UnreadableRows {

    private SessionRecord victim;
    private SessionRecord bystander;

    @BeforeEach
    void createAVictimAndABystander() {
      victim = store().create(userSession("alice"));
      bystander = store().create(userSession("bob"));
    }

    /** Writes {@code data} into the victim's row, as someone with write access to the table. */
    private void overwriteTheVictimsData(byte[] data) {
      database.execute("UPDATE " + TABLE + " SET data = ? WHERE id = ?", data, ref(victim).value());
    }

    private void assertTheVictimIsUnreadable() {
      assertThat(store().load(victim.id())).isEmpty();
      assertThat(store().modify(victim.id(), r -> Optional.of(r))).isEmpty();
      assertThat(store().load(bystander.id()).orElseThrow().data()).isEqualTo(bystander.data());
      assertThat(database.sessionRowCount()).as("nothing is deleted").isEqualTo(2);
    }

    @Test
    void a_flipped_bit_in_the_sealed_data_makes_the_session_unreadable() {
      byte[] data = database.dataColumn(ref(victim));
      data[data.length / 2] ^= 0x01;

      overwriteTheVictimsData(data);

      assertTheVictimIsUnreadable();
    }

    @Test
    void truncated_data_makes_the_session_unreadable() {
      byte[] data = database.dataColumn(ref(victim));

      for (int length : new int[] {data.length - 1, 13, 1}) {
        overwriteTheVictimsData(Arrays.copyOf(data, length));
        assertTheVictimIsUnreadable();
      }
    }

    @Test
    void sealed_data_moved_to_another_row_does_not_open_there() {
      overwriteTheVictimsData(database.dataColumn(ref(bystander)));

      assertTheVictimIsUnreadable();
    }

    @Test
    void plain_json_or_another_format_byte_under_a_sealed_key_is_no_session() {
      byte[] data = database.dataColumn(ref(victim));
      data[0] = 2;

      overwriteTheVictimsData(data);
      assertTheVictimIsUnreadable();

      overwriteTheVictimsData("{\"user_id\":\"mallory\"}".getBytes(StandardCharsets.UTF_8));
      assertTheVictimIsUnreadable();
    }

    @Test
    void a_row_planted_under_the_id_itself_as_before_sealing_is_not_loaded() {
      SessionId planted = SessionId.generate();

      database.insertSessionRow(
          planted,
          "{\"user_id\":\"admin\"}".getBytes(StandardCharsets.UTF_8),
          clock.instant().plus(TTL));

      assertThat(store().load(planted)).isEmpty();
    }
  }

  @Nested
  @DisplayName("the server secret")
  class ServerSecret {

    @Test
    void a_row_computed_without_the_secret_is_not_accepted_by_a_store_that_has_it() {
      SessionRecord planted = store().create(withMarker("mallory", marker()));
      ManagedSessionStore withSecret = openMigrated(config().withSecret(SECRET));

      assertThat(withSecret.load(planted.id())).isEmpty();
      assertThat(withSecret.modify(planted.id(), r -> Optional.of(r))).isEmpty();
      assertThat(withSecret.updateIfUnchanged(store().load(planted.id()).orElseThrow())).isFalse();
      assertThat(withSecret.refOf(planted.id())).isNotEqualTo(ref(planted));
      assertThat(store().load(planted.id())).as("still there for a store without it").isPresent();
    }

    @Test
    void a_row_sealed_under_one_secret_does_not_open_under_another() {
      ManagedSessionStore old = openMigrated(config().withSecret(OLD_SECRET));
      SessionRecord created = old.create(userSession("alice"));
      ManagedSessionStore current = openMigrated(config().withSecret(SECRET));

      assertThat(current.load(created.id())).isEmpty();
      assertThat(old.load(created.id())).isPresent();
    }

    @Test
    void rotating_the_secret_keeps_every_session_and_one_write_moves_each_row_to_the_new_one() {
      ManagedSessionStore old = openMigrated(config().withSecret(OLD_SECRET));
      List<SessionRecord> sessions = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        sessions.add(old.create(withMarker("user" + i, marker())));
      }
      ManagedSessionStore rotated =
          openMigrated(config().withSecret(SECRET).withPreviousSecret(Optional.of(OLD_SECRET)));

      for (SessionRecord session : sessions) {
        assertThat(rotated.load(session.id()).orElseThrow().data()).isEqualTo(session.data());
      }
      // one write of each kind a request makes
      SessionRecord first = rotated.load(sessions.get(0).id()).orElseThrow();
      assertThat(rotated.updateIfUnchanged(first)).isTrue();
      assertThat(rotated.updateIfUnchanged(rotated.load(sessions.get(1).id()).orElseThrow()))
          .isTrue();
      assertThat(rotated.modify(sessions.get(2).id(), r -> Optional.of(r))).isPresent();
      SessionRecord third = rotated.load(sessions.get(3).id()).orElseThrow();
      SessionRecord moved =
          rotated.rotate(third.id(), third.withId(SessionId.generate())).orElseThrow();

      ManagedSessionStore newOnly = openMigrated(config().withSecret(SECRET));
      for (SessionRecord session : sessions.subList(0, 3)) {
        assertThat(newOnly.load(session.id()).orElseThrow().data()).isEqualTo(session.data());
        assertThat(database.userIdColumn(newOnly.refOf(session.id())))
            .isEqualTo(session.userId().orElseThrow());
        assertThat(old.load(session.id())).as("no longer under the old secret").isEmpty();
      }
      assertThat(newOnly.load(moved.id())).isPresent();
      assertThat(newOnly.load(third.id())).isEmpty();
      assertThat(database.sessionRowCount()).isEqualTo(4);
      assertThat(database.queryStrings("SELECT id FROM " + TABLE))
          .containsExactlyInAnyOrder(
              newOnly.refOf(sessions.get(0).id()).value(),
              newOnly.refOf(sessions.get(1).id()).value(),
              newOnly.refOf(sessions.get(2).id()).value(),
              newOnly.refOf(moved.id()).value());
    }

    @Test
    void during_a_rotation_delete_and_logging_a_user_out_reach_rows_under_either_secret() {
      ManagedSessionStore old = openMigrated(config().withSecret(OLD_SECRET));
      SessionRecord deleted = old.create(userSession("alice"));
      old.create(userSession("bob"));
      ManagedSessionStore rotated =
          openMigrated(config().withSecret(SECRET).withPreviousSecret(Optional.of(OLD_SECRET)));
      rotated.create(userSession("bob"));

      rotated.delete(deleted.id());

      assertThat(old.load(deleted.id())).isEmpty();
      assertThat(rotated.countSessionsForUser("bob")).isEqualTo(2);
      assertThat(rotated.clearSessionsForUser("bob")).isEqualTo(2);
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void turning_a_secret_on_with_none_as_the_previous_keeps_sessions_made_without_one() {
      SessionRecord created = store().create(userSession("alice"));
      ManagedSessionStore turnedOn =
          openMigrated(
              config().withSecret(SECRET).withPreviousSecret(Optional.of(SessionSecret.none())));

      SessionRecord loaded = turnedOn.load(created.id()).orElseThrow();
      assertThat(turnedOn.updateIfUnchanged(loaded)).isTrue();

      assertThat(openMigrated(config().withSecret(SECRET)).load(created.id())).isPresent();
      assertThat(store().load(created.id())).isEmpty();
    }

    @Test
    void the_previous_secret_cannot_be_the_current_one() {
      assertThatThrownBy(
              () -> config().withSecret(SECRET).withPreviousSecret(Optional.of(secret(1))))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
          .hasMessageContaining("previousSecret");
    }
  }

  @Nested
  @DisplayName("rows during a secret rotation")
  class RowsDuringARotation extends SecretRotationRows {
    RowsDuringARotation() {
      super(SealedStorageContract.this, SECRET, OLD_SECRET);
    }
  }

  @Nested
  @DisplayName("the sealing migration")
  class SealingMigration {

    private Map<SessionId, String> legacyRows(int count) {
      Map<SessionId, String> rows = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        rows.put(
            SessionId.generate(),
            "{\"user_id\":\"user" + (i % 7) + "\",\"token\":\"" + marker() + "\"}");
      }
      return rows;
    }

    private void assertSealedAndLoadable(
        ManagedSessionStore migrated, Map<SessionId, String> rows) {
      assertThat(database.queryLong("SELECT count(*) FROM " + TABLE)).isEqualTo(rows.size());
      assertThat(database.queryStrings("SELECT id FROM " + TABLE))
          .allSatisfy(key -> assertThat(SessionRef.parse(key)).isPresent());
      StringBuilder everything = new StringBuilder();
      for (byte[] cell : database.sessionTableCells()) {
        everything.append(new String(cell, StandardCharsets.ISO_8859_1)).append('\n');
      }
      // every row is counted above; a sample of 200, spread over the table, is opened and searched
      int step = Math.max(1, rows.size() / 200);
      int index = 0;
      for (Map.Entry<SessionId, String> row : rows.entrySet()) {
        if (index++ % step != 0) {
          continue;
        }
        SessionRecord loaded = migrated.load(row.getKey()).orElseThrow();
        assertThat(row.getValue()).contains((String) loaded.data().get("token"));
        assertThat(everything.indexOf(row.getKey().value())).as("an id left behind").isEqualTo(-1);
      }
    }

    @Test
    void a_legacy_table_is_sealed_in_place_and_every_session_loads_by_its_old_id() {
      Map<SessionId, String> rows = legacyRows(25);
      database.execute(database.legacySessionTableDdl());
      database.insertSessionRows(rows, clock.instant().plus(TTL));

      ManagedSessionStore migrated = open(config());
      MigrationReport report = migrated.migrate();

      assertThat(report.sealedRows()).isEqualTo(25);
      assertThat(report.migrationsApplied()).isPositive();
      assertSealedAndLoadable(migrated, rows);
      for (String json : rows.values()) {
        String token = json.substring(json.indexOf("marker-"), json.lastIndexOf('"'));
        assertThat(tableHolds(token.getBytes(StandardCharsets.UTF_8))).isFalse();
      }
      assertThat(migrated.countSessionsForUser("user0")).isEqualTo(4);
      assertThat(migrated.migrate())
          .as("a second run finds nothing to do")
          .isEqualTo(MigrationReport.current());
      assertThatEveryVersionWasAppliedOnce();
    }

    @Test
    void a_sealing_run_that_fails_half_way_keeps_its_committed_pages_and_the_next_run_finishes() {
      // three pages of the migration's 10 000 rows
      Map<SessionId, String> rows = legacyRows(21_000);
      database.execute(database.legacySessionTableDdl());
      database.insertSessionRows(rows, clock.instant().plus(TTL));
      // the last row in the order the migration pages in (SQLite's storage order, the rowid;
      // elsewhere the key, in the database's collation), so that the pages before the failing one
      // hold most rows
      String order = database.backendName().equals("sqlite") ? "rowid" : "id";
      SessionId last =
          SessionId.parse(
                  database
                      .queryStrings("SELECT id FROM " + TABLE + " ORDER BY " + order + " DESC")
                      .get(0))
              .orElseThrow();
      ManagedSessionStore migrated = open(config());

      try (AutoCloseable refusal = database.refuseSealingOf(last)) {
        assertThatThrownBy(migrated::migrate)
            .isInstanceOfSatisfying(
                SessionServiceException.class,
                e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.MIGRATION));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      long sealedFirst =
          database.queryLong("SELECT count(*) FROM " + TABLE + " WHERE length(id) = 43");
      assertThat(sealedFirst)
          .as("the pages before the failing one were committed")
          .isGreaterThanOrEqualTo(10_000)
          .isLessThan(21_000);

      MigrationReport resumed = migrated.migrate();

      assertThat(resumed.sealedRows()).isEqualTo(21_000 - sealedFirst);
      assertSealedAndLoadable(migrated, rows);
      assertThatEveryVersionWasAppliedOnce();
    }
  }
}

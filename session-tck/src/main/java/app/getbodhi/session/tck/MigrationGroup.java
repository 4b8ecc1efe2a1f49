package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static app.getbodhi.session.tck.StoreContractKit.EXPIRY_INDEX;
import static app.getbodhi.session.tck.StoreContractKit.HISTORY_TABLE;
import static app.getbodhi.session.tck.StoreContractKit.TABLE;
import static app.getbodhi.session.tck.StoreContractKit.TTL;
import static app.getbodhi.session.tck.StoreContractKit.USER_ID_INDEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "migration" group of {@link SessionStoreContract}, run per backend as its {@code Migration}
 * class: migrating an empty database, one that holds other tables and a legacy session table, and
 * migrating twice: the table with its columns and indexes, its own history table, and every stored
 * row kept.
 */
abstract class MigrationGroup extends ContractGroup {

  @Test
  void
      migrate_on_an_empty_database_creates_the_session_table_with_the_user_id_column_and_both_indexes() {
    assertThat(kit().database.tableNames()).doesNotContain(TABLE);

    kit().open(kit().config()).migrate();

    assertThat(kit().database.tableNames()).contains(TABLE);
    assertThat(kit().database.columnNames(TABLE))
        .containsExactlyInAnyOrder(
            "id",
            "data",
            "expiry_date",
            "user_id",
            "revision",
            "created_at",
            "last_accessed_at",
            "max_inactive_seconds");
    assertThat(kit().database.indexNames(TABLE)).contains(USER_ID_INDEX, EXPIRY_INDEX);
  }

  @Test
  void migrate_keeps_its_history_in_its_own_table_with_every_version_applied_once() {
    kit().open(kit().config()).migrate();

    assertThat(kit().database.tableNames())
        .contains(HISTORY_TABLE)
        .doesNotContain("flyway_schema_history");
    kit().assertThatEveryVersionWasAppliedOnce();
  }

  @Test
  void migrating_twice_is_harmless_and_keeps_stored_sessions() {
    ManagedSessionStore first = kit().openMigrated(kit().config());
    SessionRecord saved = kit().userSession("alice");
    first.save(saved);

    assertThatCode(first::migrate).doesNotThrowAnyException();
    ManagedSessionStore second = kit().open(kit().config());
    assertThatCode(second::migrate).doesNotThrowAnyException();

    assertThat(content(second.load(saved.id()))).contains(content(saved));
    assertThat(content(first.load(saved.id()))).contains(content(saved));
    assertThat(kit().database.indexNames(TABLE)).contains(USER_ID_INDEX, EXPIRY_INDEX);
    kit().assertThatEveryVersionWasAppliedOnce();
  }

  @Test
  void migrate_keeps_an_unrelated_table_and_its_rows() {
    kit().database.execute("CREATE TABLE app_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    kit().database.execute("INSERT INTO app_users (id, name) VALUES (1, 'alice')");

    ManagedSessionStore migrated = kit().openMigrated(kit().config());

    assertThat(kit().database.tableNames()).contains("app_users", TABLE);
    assertThat(kit().database.queryStrings("SELECT name FROM app_users WHERE id = 1"))
        .containsExactly("alice");
    SessionRecord saved = kit().userSession("alice");
    migrated.save(saved);
    assertThat(content(migrated.load(saved.id()))).contains(content(saved));
    assertThat(kit().database.indexNames(TABLE)).contains(USER_ID_INDEX, EXPIRY_INDEX);
  }

  @Test
  void migrate_adds_user_id_and_its_index_to_a_legacy_table_and_keeps_its_row() {
    SessionId legacyId = SessionId.generate();
    Instant expiry = kit().clock.instant().plus(TTL);
    kit()
        .database
        .createLegacySessionTable(
            legacyId, "{\"user_id\":\"legacy-user\",\"theme\":\"dark\",\"visits\":3}", expiry);
    assertThat(kit().database.columnNames(TABLE)).doesNotContain("user_id");

    ManagedSessionStore migrated = kit().openMigrated(kit().config());

    assertThat(kit().database.columnNames(TABLE)).contains("user_id");
    assertThat(kit().database.indexNames(TABLE)).contains(USER_ID_INDEX, EXPIRY_INDEX);
    assertThat(kit().database.sessionRowCount()).isEqualTo(1);
    assertThat(content(migrated.load(legacyId)))
        .contains(
            new SessionRecord(
                legacyId, mapOf("user_id", "legacy-user", "theme", "dark", "visits", 3L), expiry));
    // the next save of the legacy session fills the new column
    migrated.save(migrated.load(legacyId).orElseThrow());
    assertThat(kit().database.userIdColumn(kit().ref(legacyId))).isEqualTo("legacy-user");
    assertThat(migrated.countSessionsForUser("legacy-user")).isEqualTo(1);
  }

  @Test
  void migrating_a_legacy_table_twice_keeps_its_row() {
    SessionId legacyId = SessionId.generate();
    kit().database.createLegacySessionTable(legacyId, "{\"a\":1}", kit().clock.instant().plus(TTL));

    kit().openMigrated(kit().config());
    ManagedSessionStore again = kit().openMigrated(kit().config());

    assertThat(again.load(legacyId)).map(SessionRecord::data).contains(Map.of("a", 1L));
    kit().assertThatEveryVersionWasAppliedOnce();
  }
}

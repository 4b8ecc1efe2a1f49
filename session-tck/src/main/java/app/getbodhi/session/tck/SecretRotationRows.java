package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How many rows a session has while the server secret rotates: one, whatever write moved it. Run by
 * every backend as {@link SealedStorageContract}'s nested "rows during a secret rotation"; kept in
 * a file of its own so that the contract stays readable.
 *
 * <p>The sessions are written by a store with only the old secret, then read and written by a store
 * in rotation (new secret, old one as previous), and checked through a store with only the new
 * secret and through the table itself.
 */
abstract class SecretRotationRows {

  /** Sessions per test: enough that a lookup returning rows in key order cannot pass by chance. */
  private static final int SESSIONS = 20;

  private static final String[] USERS = {"alice", "bob"};

  private final StoreContractKit kit;
  private final SessionSecret current;
  private final SessionSecret old;

  /**
   * Runs in the contract's test instance.
   *
   * @param kit the contract, for its database, clock and stores
   * @param current the secret the rotation moves to
   * @param old the secret it moves from
   */
  SecretRotationRows(StoreContractKit kit, SessionSecret current, SessionSecret old) {
    this.kit = kit;
    this.current = current;
    this.old = old;
  }

  private ManagedSessionStore oldOnly() {
    return kit.openMigrated(kit.config().withSecret(old));
  }

  private ManagedSessionStore rotating() {
    return kit.openMigrated(kit.config().withSecret(current).withPreviousSecret(Optional.of(old)));
  }

  private ManagedSessionStore newOnly() {
    return kit.openMigrated(kit.config().withSecret(current));
  }

  /** Creates the sessions under the old secret, alternating between the users. */
  private List<SessionRecord> createdUnderTheOldSecret(ManagedSessionStore store) {
    List<SessionRecord> sessions = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      sessions.add(store.create(kit.session(data(USERS[i % USERS.length], "before", i))));
    }
    return sessions;
  }

  private static Map<String, Object> data(String user, String version, int index) {
    return Map.of(SessionRecord.USER_ID_KEY, user, "version", version, "index", index);
  }

  /** The record with its data marked as written by the rotating store. */
  private static SessionRecord changed(SessionRecord record) {
    Map<String, Object> data =
        data(
            record.userId().orElseThrow(),
            "after",
            ((Number) record.data().get("index")).intValue());
    return new SessionRecord(
        record.id(),
        data,
        record.expiryDate(),
        record.createdAt(),
        record.lastAccessedAt(),
        record.maxInactiveInterval(),
        record.revision());
  }

  /**
   * Writes every session once, with each write a request or an import makes, a fifth of them each:
   * save, saveAll, updateIfUnchanged, modify, rotate.
   *
   * @return the ids the sessions have afterwards
   */
  private List<SessionId> writeEachWay(ManagedSessionStore rotating, List<SessionRecord> sessions) {
    List<SessionId> ids = new ArrayList<>();
    List<SessionRecord> batch = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      SessionRecord loaded = rotating.load(sessions.get(i).id()).orElseThrow();
      SessionRecord next = changed(loaded);
      switch (i % 5) {
        case 0 -> rotating.save(next);
        case 1 -> batch.add(next);
        case 2 -> assertThat(rotating.updateIfUnchanged(next)).as("update %d", i).isTrue();
        case 3 -> assertThat(rotating.modify(next.id(), r -> Optional.of(changed(r)))).isPresent();
        default -> {
          ids.add(rotating.rotate(next.id(), next.withId(SessionId.generate())).orElseThrow().id());
          continue;
        }
      }
      ids.add(next.id());
    }
    rotating.saveAll(batch);
    return ids;
  }

  /** Checks that the table holds exactly one row per id, under the new secret's key. */
  private void assertOneRowEachUnderTheNewKey(List<SessionId> ids) {
    ManagedSessionStore newOnly = newOnly();
    assertThat(kit.database.sessionRowCount()).as("rows").isEqualTo(ids.size());
    assertThat(kit.database.queryStrings("SELECT id FROM " + StoreContractKit.TABLE))
        .containsExactlyInAnyOrderElementsOf(
            ids.stream().map(id -> newOnly.refOf(id).value()).toList());
    for (SessionId id : ids) {
      assertThat(newOnly.load(id).orElseThrow().data()).containsEntry("version", "after");
    }
  }

  private void assertCountsPerUser(ManagedSessionStore store) {
    for (String user : USERS) {
      assertThat(store.countSessionsForUser(user)).as(user).isEqualTo(SESSIONS / USERS.length);
      assertThat(store.getSessionsForUser(user)).hasSize(SESSIONS / USERS.length);
    }
  }

  @Test
  void every_write_during_a_rotation_leaves_one_row_per_session_under_the_new_key() {
    List<SessionRecord> sessions = createdUnderTheOldSecret(oldOnly());
    ManagedSessionStore rotating = rotating();

    List<SessionId> ids = writeEachWay(rotating, sessions);
    // a second round: rows already under the new key stay one each
    List<SessionId> again =
        writeEachWay(rotating, ids.stream().map(id -> rotating.load(id).orElseThrow()).toList());

    assertOneRowEachUnderTheNewKey(again);
    assertCountsPerUser(rotating);
  }

  @Test
  void of_two_rows_for_one_session_load_opens_the_new_keys_and_the_next_write_deletes_the_other() {
    ManagedSessionStore oldOnly = oldOnly();
    List<SessionRecord> sessions = createdUnderTheOldSecret(oldOnly);
    // the old rows as they are now: what a node still on the old secret, or a copy taken before
    // the rotation, puts back after the rotating store moved each row
    List<SealedSession> oldRows = oldOnly.loadSealedPage(Optional.empty(), SESSIONS);
    ManagedSessionStore rotating = rotating();
    for (SessionRecord session : sessions) {
      rotating.save(changed(rotating.load(session.id()).orElseThrow()));
    }
    rotating.saveAllSealed(oldRows);
    assertThat(kit.database.sessionRowCount()).as("two rows each").isEqualTo(2L * SESSIONS);

    for (SessionRecord session : sessions) {
      assertThat(rotating.load(session.id()).orElseThrow().data())
          .as("the row under the new key, never the stale one")
          .containsEntry("version", "after");
    }
    assertThat(oldOnly.load(sessions.get(0).id()).orElseThrow().data())
        .as("the stale row is still there")
        .containsEntry("version", "before");

    List<SessionId> ids = writeEachWay(rotating, sessions);

    assertOneRowEachUnderTheNewKey(ids);
    assertCountsPerUser(rotating);
  }

  @Test
  void a_copy_of_a_store_in_rotation_holds_one_row_per_session_and_writes_move_them() {
    List<SessionRecord> sessions = createdUnderTheOldSecret(oldOnly());
    ManagedSessionStore rotating = rotating();
    // half the rows move to the new key before the copy
    for (SessionRecord session : sessions.subList(0, SESSIONS / 2)) {
      rotating.save(changed(rotating.load(session.id()).orElseThrow()));
    }
    List<SealedSession> copied = rotating.loadSealedPage(Optional.empty(), 2 * SESSIONS);
    kit.database.execute("DELETE FROM " + StoreContractKit.TABLE);

    rotating.saveAllSealed(copied);

    // a copy cannot move a row (that needs the id, which only the browser holds): each row stays
    // under the key it had, one per session, and moves on its next write
    assertThat(kit.database.sessionRowCount()).isEqualTo(SESSIONS);
    assertCountsPerUser(rotating);
    assertOneRowEachUnderTheNewKey(writeEachWay(rotating, sessions));
  }
}

package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.StoreContractKit.TTL;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The "rotation" group of {@link SessionStoreContract}, run per backend as its {@code Rotation}
 * class: {@code rotate} moves a live session to a new id once, and a rotation racing a logout or a
 * delete never brings the session back.
 */
abstract class RotationGroup extends ContractGroup {

  @Test
  void rotate_moves_the_session_to_the_new_id_keeping_its_data_and_creation_time() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
    Instant createdAt = kit().clock.instant();
    kit().clock.advance(Duration.ofMinutes(1));
    SessionId newId = SessionId.generate();

    Optional<SessionRecord> rotated = kit().store().rotate(loaded.id(), loaded.withId(newId));

    assertThat(rotated).isPresent();
    assertThat(rotated.get().id()).isEqualTo(newId);
    assertThat(kit().store().load(loaded.id())).isEmpty();
    SessionRecord moved = kit().store().load(newId).orElseThrow();
    assertThat(moved.data()).isEqualTo(loaded.data());
    assertThat(moved.createdAt()).contains(createdAt);
    assertThat(moved.revision()).isZero();
    assertThat(kit().database.userIdColumn(kit().ref(newId))).isEqualTo("alice");
    assertThat(kit().database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void rotate_of_a_deleted_session_writes_nothing_and_says_so() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
    kit().store().clearSessionsForUser("alice");
    SessionId newId = SessionId.generate();

    assertThat(kit().store().rotate(loaded.id(), loaded.withId(newId))).isEmpty();

    assertThat(kit().store().load(newId)).isEmpty();
    assertThat(kit().database.sessionRowCount()).isZero();
  }

  @Test
  void rotate_of_an_expired_session_writes_nothing() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
    kit().clock.advance(TTL.plusSeconds(1));
    SessionId newId = SessionId.generate();

    assertThat(kit().store().rotate(loaded.id(), loaded.withId(newId))).isEmpty();
    assertThat(kit().store().load(newId)).isEmpty();
  }

  @Test
  void rotate_at_a_stale_revision_writes_nothing_and_leaves_the_changed_session() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
    assertThat(kit().store().updateIfUnchanged(loaded)).isTrue();
    SessionId newId = SessionId.generate();

    assertThat(kit().store().rotate(loaded.id(), loaded.withId(newId))).isEmpty();

    assertThat(kit().store().load(loaded.id())).isPresent();
    assertThat(kit().store().load(newId)).isEmpty();
  }

  @Test
  void rotate_onto_a_taken_id_draws_a_fresh_one_and_leaves_the_other_session_alone() {
    SessionRecord other = kit().store().create(kit().userSession("bob"));
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));

    SessionRecord rotated =
        kit().store().rotate(loaded.id(), loaded.withId(other.id())).orElseThrow();

    assertThat(rotated.id()).isNotEqualTo(other.id()).isNotEqualTo(loaded.id());
    assertThat(kit().store().load(other.id()).orElseThrow().userId()).contains("bob");
    assertThat(kit().store().load(rotated.id()).orElseThrow().userId()).contains("alice");
  }

  @Test
  void rotation_racing_logout_everywhere_on_two_nodes_never_brings_the_session_back()
      throws Exception {
    ManagedSessionStore otherNode = kit().openMigrated(kit().config());
    try {
      for (int round = 0; round < 20; round++) {
        SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
        SessionId newId = SessionId.generate();

        Concurrently.runAtOnce(
            List.<Callable<Object>>of(
                () -> kit().store().rotate(loaded.id(), loaded.withId(newId)),
                () -> otherNode.clearSessionsForUser("alice")));

        // whichever ran first, alice is logged out: the rotation found the row gone and wrote
        // nothing, or it moved the row and the clear deleted it under its new id
        assertThat(kit().database.sessionRowCount()).as("round %d", round).isZero();
      }
    } finally {
      otherNode.close();
    }
  }

  @Test
  void two_rotations_of_one_session_racing_on_two_nodes_move_it_once() throws Exception {
    ManagedSessionStore otherNode = kit().openMigrated(kit().config());
    try {
      for (int round = 0; round < 10; round++) {
        SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));

        List<Optional<SessionRecord>> results =
            Concurrently.runAtOnce(
                List.<Callable<Optional<SessionRecord>>>of(
                    () -> kit().store().rotate(loaded.id(), loaded.withId(SessionId.generate())),
                    () -> otherNode.rotate(loaded.id(), loaded.withId(SessionId.generate()))));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(kit().store().countSessionsForUser("alice")).isEqualTo(1);
        kit().store().clearSessionsForUser("alice");
      }
    } finally {
      otherNode.close();
    }
  }

  @Test
  void delete_racing_a_rotation_leaves_no_session() throws Exception {
    for (int round = 0; round < 20; round++) {
      SessionRecord loaded = kit().createdAndLoaded(kit().session(Map.of("k", 1L)));
      SessionId newId = SessionId.generate();
      List<Optional<SessionRecord>> rotated = new ArrayList<>();

      Concurrently.runAtOnce(
          List.<Callable<Object>>of(
              () -> rotated.add(kit().store().rotate(loaded.id(), loaded.withId(newId))),
              () -> {
                kit().store().delete(loaded.id());
                return null;
              }));

      // the delete names the old id: it wins when first; a rotation that ran first survives
      // under the new id, which no one deleted
      long rows = kit().database.sessionRowCount();
      assertThat(rows).as("round %d", round).isLessThanOrEqualTo(1);
      assertThat(kit().store().load(loaded.id())).isEmpty();
      kit().store().clearAllSessions();
    }
  }
}

package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static app.getbodhi.session.tck.StoreContractKit.TTL;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "creating" group of {@link SessionStoreContract}, run per backend as its {@code Creating}
 * class: {@code create} keeps a free id and draws a new one for a taken id, also when eight threads
 * race for one id.
 */
abstract class CreatingGroup extends ContractGroup {

  @Test
  void create_on_a_free_id_keeps_that_id() {
    SessionRecord wanted = kit().userSession("alice");

    SessionRecord created = kit().store().create(wanted);

    assertThat(content(created)).isEqualTo(content(wanted));
    assertThat(created.createdAt()).contains(kit().clock.instant());
    assertThat(created.lastAccessedAt()).contains(kit().clock.instant());
    assertThat(created.revision()).isZero();
    assertThat(content(kit().store().load(wanted.id()))).contains(content(wanted));
    assertThat(kit().database.userIdColumn(kit().ref(wanted))).isEqualTo("alice");
  }

  @Test
  void create_on_a_taken_id_returns_a_record_with_a_new_id_and_leaves_the_original_untouched() {
    SessionRecord original = kit().session(mapOf("user_id", "alice", "owner", "first"));
    kit().store().save(original);
    SessionRecord intruder =
        new SessionRecord(
            original.id(), mapOf("user_id", "mallory", "owner", "second"), original.expiryDate());

    SessionRecord created = kit().store().create(intruder);

    assertThat(created.id()).isNotEqualTo(original.id());
    assertThat(created.data()).isEqualTo(intruder.data());
    assertThat(created.expiryDate()).isEqualTo(intruder.expiryDate());
    assertThat(content(kit().store().load(original.id()))).contains(content(original));
    assertThat(content(kit().store().load(created.id()))).contains(content(created));
    assertThat(kit().database.userIdColumn(kit().ref(original))).isEqualTo("alice");
    assertThat(kit().database.userIdColumn(kit().ref(created))).isEqualTo("mallory");
    assertThat(kit().database.sessionRowCount()).isEqualTo(2);
  }

  @Test
  void eight_threads_creating_on_one_id_at_once_get_eight_distinct_ids_and_lose_nothing()
      throws Exception {
    SessionId contested = SessionId.generate();
    int threads = 8;
    Instant expiry = kit().clock.instant().plus(TTL);
    ManagedSessionStore shared = kit().store(); // opened before the race: every thread uses it

    List<SessionRecord> created =
        Concurrently.runAtOnce(
            threads,
            t ->
                () ->
                    shared.create(
                        new SessionRecord(contested, Map.of("thread", (long) t), expiry)));

    assertThat(created).extracting(SessionRecord::id).doesNotHaveDuplicates().contains(contested);
    assertThat(created).filteredOn(r -> r.id().equals(contested)).hasSize(1);
    for (SessionRecord record : created) {
      assertThat(content(kit().store().load(record.id()))).contains(content(record));
    }
    assertThat(kit().database.sessionRowCount()).isEqualTo(threads);
  }
}

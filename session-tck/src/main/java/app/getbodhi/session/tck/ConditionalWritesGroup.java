package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.StoreContractKit.TTL;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The "conditional writes" group of {@link SessionStoreContract}, run per backend as its {@code
 * ConditionalWrites} class: {@code updateIfUnchanged} and {@code modify} write only at the revision
 * a request loaded, never bring back a deleted session, and lose no key that writers on two nodes
 * merge at once.
 */
abstract class ConditionalWritesGroup extends ContractGroup {

  @Test
  void update_if_unchanged_writes_at_the_loaded_revision_and_refuses_a_stale_one() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));

    assertThat(kit().store().updateIfUnchanged(withData(loaded, "first"))).isTrue();
    // a second request that loaded the same revision has not seen the first write
    assertThat(kit().store().updateIfUnchanged(withData(loaded, "second"))).isFalse();

    SessionRecord now = kit().store().load(loaded.id()).orElseThrow();
    assertThat(now.data()).containsEntry("writer", "first");
    assertThat(now.revision()).isEqualTo(loaded.revision() + 1);
  }

  @Test
  void update_if_unchanged_never_re_creates_a_deleted_session() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
    kit().store().clearSessionsForUser("alice");

    assertThat(kit().store().updateIfUnchanged(withData(loaded, "late"))).isFalse();

    assertThat(kit().store().load(loaded.id())).isEmpty();
    assertThat(kit().database.sessionRowCount()).isZero();
  }

  @Test
  void update_if_unchanged_does_not_extend_a_session_that_has_expired() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
    kit().clock.advance(TTL.plusSeconds(1));

    SessionRecord extended =
        new SessionRecord(
            loaded.id(),
            loaded.data(),
            kit().clock.instant().plus(TTL),
            loaded.createdAt(),
            Optional.of(kit().clock.instant()),
            Optional.empty(),
            loaded.revision());
    assertThat(kit().store().updateIfUnchanged(extended)).isFalse();
    assertThat(kit().store().load(loaded.id())).isEmpty();
  }

  @Test
  void save_counts_as_a_change_so_a_request_holding_the_old_revision_conflicts() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
    kit().store().save(withData(loaded, "copied"));

    assertThat(kit().store().updateIfUnchanged(withData(loaded, "stale"))).isFalse();
    assertThat(kit().store().load(loaded.id()).orElseThrow().data())
        .containsEntry("writer", "copied");
  }

  @Test
  void modify_applies_the_change_to_the_row_as_stored_and_writes_the_next_revision() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));
    kit().store().updateIfUnchanged(withData(loaded, "other"));

    Optional<SessionRecord> modified =
        kit()
            .store()
            .modify(
                loaded.id(),
                current -> {
                  Map<String, Object> merged = new LinkedHashMap<>(current.data());
                  merged.put("mine", "yes");
                  return Optional.of(withMap(current, merged));
                });

    SessionRecord stored = kit().store().load(loaded.id()).orElseThrow();
    assertThat(stored.data()).containsEntry("writer", "other").containsEntry("mine", "yes");
    assertThat(stored.revision()).isEqualTo(loaded.revision() + 2);
    assertThat(modified).contains(stored);
  }

  @Test
  void modify_of_a_missing_session_does_not_call_the_change_and_writes_nothing() {
    AtomicInteger calls = new AtomicInteger();

    Optional<SessionRecord> modified =
        kit()
            .store()
            .modify(
                SessionId.generate(),
                current -> {
                  calls.incrementAndGet();
                  return Optional.of(current);
                });

    assertThat(modified).isEmpty();
    assertThat(calls).hasValue(0);
    assertThat(kit().database.sessionRowCount()).isZero();
  }

  @Test
  void modify_that_returns_nothing_writes_nothing() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));

    assertThat(kit().store().modify(loaded.id(), current -> Optional.empty())).contains(loaded);

    assertThat(kit().store().load(loaded.id()).orElseThrow().revision())
        .isEqualTo(loaded.revision());
  }

  @Test
  void eight_writers_on_two_nodes_merging_their_own_keys_under_the_lock_lose_none()
      throws Exception {
    SessionRecord shared = kit().store().create(kit().session(Map.of("base", 1L)));
    ManagedSessionStore otherNode = kit().openMigrated(kit().config());
    try {
      List<ManagedSessionStore> nodes = List.of(kit().store(), otherNode);

      List<Boolean> merged =
          Concurrently.runAtOnce(
              8,
              w ->
                  () ->
                      nodes
                          .get(w % 2)
                          .modify(
                              shared.id(),
                              current -> {
                                Map<String, Object> data = new LinkedHashMap<>(current.data());
                                data.put("writer" + w, "done");
                                return Optional.of(withMap(current, data));
                              })
                          .isPresent());

      assertThat(merged).containsOnly(true);
    } finally {
      otherNode.close();
    }

    SessionRecord stored = kit().store().load(shared.id()).orElseThrow();
    assertThat(stored.data()).hasSize(9);
    assertThat(stored.revision()).isEqualTo(8);
  }

  private SessionRecord withData(SessionRecord loaded, String writer) {
    Map<String, Object> data = new LinkedHashMap<>(loaded.data());
    data.put("writer", writer);
    return withMap(loaded, data);
  }

  private SessionRecord withMap(SessionRecord loaded, Map<String, Object> data) {
    return new SessionRecord(
        loaded.id(),
        data,
        loaded.expiryDate(),
        loaded.createdAt(),
        Optional.of(kit().clock.instant()),
        loaded.maxInactiveInterval(),
        loaded.revision());
  }
}

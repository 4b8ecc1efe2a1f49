package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static app.getbodhi.session.tck.StoreContractKit.TTL;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The "concurrency" group of {@link SessionStoreContract}, run per backend as its {@code
 * Concurrency} class: threads saving and loading at once on one store all succeed and keep their
 * last write.
 */
abstract class ConcurrencyGroup extends ContractGroup {

  @Test
  void eight_threads_saving_and_loading_at_once_all_succeed_and_keep_their_last_write()
      throws Exception {
    int threads = 8;
    int sessionsPerThread = 4;
    int rounds = 25;
    ManagedSessionStore shared = kit().store();
    List<List<SessionId>> ids = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      ids.add(IntStream.range(0, sessionsPerThread).mapToObj(i -> SessionId.generate()).toList());
    }
    Instant expiry = kit().clock.instant().plus(TTL);

    List<Integer> checked =
        Concurrently.runAtOnce(
            threads,
            thread ->
                () -> {
                  int verified = 0;
                  for (int round = 0; round < rounds; round++) {
                    for (SessionId id : ids.get(thread)) {
                      SessionRecord record = new SessionRecord(id, dataFor(thread, round), expiry);
                      shared.save(record);
                      Optional<SessionRecord> loaded = shared.load(id);
                      if (!content(loaded).equals(Optional.of(record))) {
                        throw new AssertionError(
                            "thread " + thread + " round " + round + " read back " + loaded);
                      }
                      verified++;
                    }
                  }
                  return verified;
                });

    assertThat(checked).containsOnly(rounds * sessionsPerThread).hasSize(threads);
    for (int t = 0; t < threads; t++) {
      for (SessionId id : ids.get(t)) {
        assertThat(shared.load(id)).map(SessionRecord::data).contains(dataFor(t, rounds - 1));
      }
      assertThat(shared.countSessionsForUser("user-" + t)).isEqualTo(sessionsPerThread);
    }
    assertThat(kit().database.sessionRowCount()).isEqualTo((long) threads * sessionsPerThread);
  }

  private Map<String, Object> dataFor(int thread, int round) {
    return Map.of(
        SessionRecord.USER_ID_KEY,
        "user-" + thread,
        "round",
        (long) round,
        "pad",
        "p".repeat(round));
  }
}

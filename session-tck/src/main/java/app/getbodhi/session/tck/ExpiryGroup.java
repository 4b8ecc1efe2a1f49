package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSummary;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "expiry" group of {@link SessionStoreContract}, run per backend as its {@code Expiry} class:
 * a session loads until its expiry and not from then on; expired sessions count for no user, and
 * {@code deleteExpired} removes them whatever the batch size.
 */
abstract class ExpiryGroup extends ContractGroup {

  @Test
  void a_session_loads_until_its_expiry_and_not_from_then_on() {
    SessionRecord saved = kit().saveExpiring("alice", Duration.ofMinutes(10));

    kit().clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(content(kit().store().load(saved.id()))).contains(content(saved));

    kit().clock.advance(Duration.ofMillis(1));
    assertThat(kit().store().load(saved.id())).isEmpty();
    assertThat(kit().database.sessionRowCount()).as("expired rows stay until purged").isEqualTo(1);
  }

  @Test
  void expired_sessions_are_neither_counted_nor_listed_for_their_user() {
    SessionRecord live = kit().saveUserSession("alice");
    kit().saveExpiring("alice", Duration.ofMinutes(5));

    kit().clock.advance(Duration.ofMinutes(5));

    assertThat(kit().store().countSessionsForUser("alice")).isEqualTo(1);
    assertThat(kit().store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
        .containsExactly(kit().ref(live));
  }

  @Test
  void delete_expired_removes_expired_sessions_and_leaves_live_ones() {
    SessionRecord expired1 = kit().saveExpiring("alice", Duration.ofMinutes(1));
    SessionRecord expired2 = kit().saveExpiring(null, Duration.ofMinutes(2));
    SessionRecord live1 = kit().saveUserSession("alice");
    SessionRecord live2 = kit().saveExpiring("bob", Duration.ofMinutes(3));
    kit().clock.advance(Duration.ofMinutes(2));

    int deleted = kit().store().deleteExpired();

    assertThat(deleted).isEqualTo(2);
    assertThat(kit().store().streamAllSessions(1000).toList())
        .extracting(SessionSummary::ref)
        .containsExactlyInAnyOrder(kit().ref(live1), kit().ref(live2))
        .doesNotContain(kit().ref(expired1), kit().ref(expired2));
    assertThat(content(kit().store().load(live2.id()))).contains(content(live2));
    assertThat(kit().store().deleteExpired()).as("a second purge finds nothing").isZero();
  }

  @ParameterizedTest(name = "{0} expired rows, batch size 3")
  @ValueSource(ints = {0, 1, 3, 9, 10})
  void delete_expired_deletes_every_expired_row_whatever_the_batch_size(int expiredRows) {
    ManagedSessionStore batched = kit().openMigrated(kit().config().withDeleteBatchSize(3));
    for (int i = 0; i < expiredRows; i++) {
      batched.save(
          new SessionRecord(
              SessionId.generate(),
              Map.of("i", (long) i),
              kit().clock.instant().plusSeconds(i + 1)));
    }
    SessionRecord live1 = kit().session(Map.of("live", 1L));
    SessionRecord live2 = kit().session(Map.of("live", 2L));
    batched.save(live1);
    batched.save(live2);
    kit().clock.advance(Duration.ofSeconds(expiredRows));

    assertThat(batched.deleteExpired()).isEqualTo(expiredRows);

    assertThat(kit().database.sessionRowCount()).isEqualTo(2);
    assertThat(content(batched.load(live1.id()))).contains(content(live1));
    assertThat(content(batched.load(live2.id()))).contains(content(live2));
  }

  @Test
  void saving_with_a_later_expiry_keeps_a_session_alive() {
    SessionRecord saved = kit().saveExpiring("alice", Duration.ofMinutes(10));
    kit().clock.advance(Duration.ofMinutes(9));
    SessionRecord touched =
        new SessionRecord(
            saved.id(), saved.data(), kit().clock.instant().plus(Duration.ofMinutes(10)));
    kit().store().save(touched);

    kit().clock.advance(Duration.ofMinutes(5));

    assertThat(content(kit().store().load(saved.id()))).contains(content(touched));
    assertThat(kit().store().deleteExpired()).isZero();
  }
}

package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The "lifecycle" group of {@link SessionStoreContract}, run per backend as its {@code Lifecycle}
 * class: the creation and last access times the store stamps, a session's own timeout, and a
 * session that never times out.
 */
abstract class LifecycleGroup extends ContractGroup {

  @Test
  void a_created_session_gets_the_store_clocks_time_as_creation_and_last_access() {
    SessionRecord loaded = kit().createdAndLoaded(kit().userSession("alice"));

    assertThat(loaded.createdAt()).contains(kit().clock.instant());
    assertThat(loaded.lastAccessedAt()).contains(kit().clock.instant());
    assertThat(loaded.maxInactiveInterval()).isEmpty();
    assertThat(loaded.revision()).isZero();
  }

  @Test
  void an_update_keeps_the_creation_time_and_stores_the_new_access_time_and_timeout() {
    SessionRecord created = kit().store().create(kit().userSession("alice"));
    Instant createdAt = kit().clock.instant();
    Instant later = kit().clock.advance(Duration.ofMinutes(5));

    SessionRecord changed =
        new SessionRecord(
            created.id(),
            Map.of("step", 2L),
            later.plus(Duration.ofMinutes(1)),
            Optional.of(later),
            Optional.of(later),
            Optional.of(Duration.ofMinutes(1)),
            created.revision());
    assertThat(kit().store().updateIfUnchanged(changed)).isTrue();

    SessionRecord loaded = kit().store().load(created.id()).orElseThrow();
    assertThat(loaded.createdAt()).contains(createdAt);
    assertThat(loaded.lastAccessedAt()).contains(later);
    assertThat(loaded.maxInactiveInterval()).contains(Duration.ofMinutes(1));
    assertThat(loaded.revision()).isEqualTo(1);
  }

  @Test
  void a_session_that_never_times_out_is_kept_by_the_expired_session_cleanup() {
    SessionRecord forever =
        new SessionRecord(
            SessionId.generate(),
            Map.of("k", "v"),
            SessionRecord.MAX_EXPIRY,
            Optional.empty(),
            Optional.empty(),
            Optional.of(Duration.ZERO),
            0);
    kit().store().create(forever);
    kit().clock.advance(Duration.ofDays(3650));

    kit().store().deleteExpired();

    SessionRecord loaded = kit().store().load(forever.id()).orElseThrow();
    assertThat(loaded.neverTimesOut()).isTrue();
    assertThat(loaded.expiryDate()).isEqualTo(SessionRecord.MAX_EXPIRY);
  }
}

package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "clearing all sessions" group of {@link SessionStoreContract}, run per backend as its {@code
 * ClearingAll} class: {@code clearAllSessions} empties the store, expired rows too, and returns how
 * many it deleted.
 */
abstract class ClearingAllGroup extends ContractGroup {

  @Test
  void clear_all_sessions_returns_the_count_and_empties_the_store() {
    SessionRecord alice = kit().saveUserSession("alice");
    kit().saveUserSession("bob");
    kit().store().save(kit().session(Map.of("anonymous", true)));
    kit().saveExpiring("carol", Duration.ofMinutes(1));
    kit().clock.advance(Duration.ofMinutes(2));

    assertThat(kit().store().clearAllSessions()).isEqualTo(4);

    assertThat(kit().database.sessionRowCount()).isZero();
    assertThat(kit().store().load(alice.id())).isEmpty();
    assertThat(kit().store().streamAllSessions(1000).toList()).isEmpty();
  }

  @Test
  void clear_all_sessions_on_an_empty_store_returns_zero() {
    assertThat(kit().store().clearAllSessions()).isZero();
  }
}

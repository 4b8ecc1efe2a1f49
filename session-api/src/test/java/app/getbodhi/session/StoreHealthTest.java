package app.getbodhi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreHealthTest {

  @Test
  void aStoreThatIsUpHasNoProblemAndOneThatIsDownHasOne() {
    assertThat(StoreHealth.up("sqlite", Optional.of("3")))
        .isEqualTo(new StoreHealth(true, "sqlite", Optional.of("3"), Optional.empty()));
    assertThat(StoreHealth.down("postgres", "refused").problem()).contains("refused");
    assertThatThrownBy(() -> new StoreHealth(true, "sqlite", Optional.empty(), Optional.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StoreHealth(false, "sqlite", Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultCheckIsUpWhenTheStoreAnswersALookup() {
    LookupStore store = new LookupStore(null);

    assertThat(store.health()).isEqualTo(StoreHealth.up("memory", Optional.empty()));
    assertThat(store.lookups).isEqualTo(1);
  }

  @Test
  void theDefaultCheckIsDownWithTheStoresOwnMessageWhenTheLookupFails() {
    LookupStore store =
        new LookupStore(
            new SessionServiceException(
                SessionServiceException.Kind.DATABASE, "Could not load a session: gone."));

    assertThat(store.health())
        .isEqualTo(StoreHealth.down("memory", "Could not load a session: gone."));
  }

  @Test
  void theDefaultCheckDoesNotRepeatTheMessageOfAnUnexpectedFailure() {
    LookupStore store = new LookupStore(new IllegalStateException("secret detail"));

    StoreHealth health = store.health();

    assertThat(health.up()).isFalse();
    assertThat(health.problem()).hasValueSatisfying(p -> assertThat(p).doesNotContain("secret"));
  }

  @Test
  void aPoolMetricsTrackerIsOffByDefaultAndKeptAcrossChanges() {
    Object tracker = new Object();
    SessionStoreConfig config =
        SessionStoreConfig.defaults().withPoolMetricsTrackerFactory(tracker).withMaximumPoolSize(3);

    assertThat(SessionStoreConfig.defaults().poolMetricsTrackerFactory()).isEmpty();
    assertThat(config.poolMetricsTrackerFactory()).containsSame(tracker);
    assertThat(config.maximumPoolSize()).isEqualTo(3);
  }

  /** A store whose lookups answer empty, or fail as told. */
  private static final class LookupStore implements ManagedSessionStore {
    private final RuntimeException failure;
    private int lookups;

    LookupStore(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public Optional<SessionRecord> load(SessionId id) {
      lookups++;
      if (failure != null) {
        throw failure;
      }
      return Optional.empty();
    }

    @Override
    public String backendName() {
      return "memory";
    }

    @Override
    public SessionRecord create(SessionRecord record) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void save(SessionRecord record) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(SessionId id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void migrate() {}

    @Override
    public int clearSessionsForUser(String userId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int clearAllSessions() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int countSessionsForUser(String userId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SessionId> getSessionIdsForUser(String userId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SessionSummary> dumpAllSessions() {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SessionSummary> dumpPage(Optional<SessionId> after, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SessionRecord> loadPage(Optional<SessionId> after, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int deleteExpired() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}

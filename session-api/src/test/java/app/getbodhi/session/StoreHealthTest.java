package app.getbodhi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.spi.SessionStoreConfig;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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

  /**
   * A store whose lookups answer empty, or fail as told; any other abstract method throws. A proxy,
   * so that the stub keeps compiling as the store interface grows; default methods run as written.
   */
  private static final class LookupStore {
    private final RuntimeException failure;
    private int lookups;
    private final ManagedSessionStore store;

    LookupStore(RuntimeException failure) {
      this.failure = failure;
      this.store =
          (ManagedSessionStore)
              Proxy.newProxyInstance(
                  ManagedSessionStore.class.getClassLoader(),
                  new Class<?>[] {ManagedSessionStore.class},
                  this::invoke);
    }

    StoreHealth health() {
      return store.health();
    }

    private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      return switch (method.getName()) {
        case "load" -> {
          lookups++;
          if (failure != null) {
            throw failure;
          }
          yield Optional.empty();
        }
        case "backendName" -> "memory";
        default -> {
          if (method.isDefault()) {
            yield InvocationHandler.invokeDefault(proxy, method, args);
          }
          throw new UnsupportedOperationException(method.getName());
        }
      };
    }
  }
}

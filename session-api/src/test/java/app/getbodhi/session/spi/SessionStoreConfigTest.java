package app.getbodhi.session.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SessionStoreConfigTest {

  @Test
  void theDefaultsAreTheNamedConstants() {
    SessionStoreConfig config = SessionStoreConfig.defaults();

    assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxDataBytes()).isEqualTo(1024 * 1024);
    assertThat(config.deleteBatchSize()).isLessThanOrEqualTo(10_000);
  }

  @Test
  void everyRefusedValueNamesItsSettingAndLimit() {
    SessionStoreConfig config = SessionStoreConfig.defaults();
    assertRefused(() -> config.withConnectionTimeout(Duration.ofMillis(10)), "connectionTimeout");
    assertRefused(() -> config.withMaximumPoolSize(0), "maximumPoolSize must be between 1");
    assertRefused(() -> config.withBusyTimeout(Duration.ofSeconds(-1)), "busyTimeout");
    assertRefused(() -> config.withMaxDataBytes(10), "maxDataBytes must be at least 1024");
    assertRefused(() -> config.withDeleteBatchSize(10_001), "deleteBatchSize must be between");
  }

  private static void assertRefused(Supplier<SessionStoreConfig> change, String fragment) {
    assertThatThrownBy(change::get)
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
        .hasMessageContaining("SessionStoreConfig." + fragment.split(" ")[0])
        .hasMessageContaining(fragment);
  }
}

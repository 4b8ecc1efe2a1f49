package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;

/**
 * Connects the HikariCP pool a backend opens to the metrics tracker of {@link
 * SessionStoreConfig#poolMetricsTrackerFactory()}, such as HikariCP's own {@code
 * MicrometerMetricsTrackerFactory}: the pool then reports its connections (active, idle, pending,
 * acquisition and usage times, timeouts) under its pool name, without this library depending on
 * Micrometer.
 */
public final class PoolMetrics {

  private PoolMetrics() {}

  /**
   * Sets the configured tracker, if any, on a pool's configuration before the pool is built.
   *
   * @param config the store's settings
   * @param hikari the pool's configuration
   * @throws SessionServiceException of kind CONFIGURATION when the configured object is not a
   *     HikariCP {@link MetricsTrackerFactory}
   */
  public static void apply(SessionStoreConfig config, HikariConfig hikari) {
    config
        .poolMetricsTrackerFactory()
        .ifPresent(
            tracker -> {
              if (!(tracker instanceof MetricsTrackerFactory factory)) {
                throw new SessionServiceException(
                    SessionServiceException.Kind.CONFIGURATION,
                    "SessionStoreConfig.poolMetricsTrackerFactory must be a HikariCP "
                        + MetricsTrackerFactory.class.getName()
                        + ", such as new MicrometerMetricsTrackerFactory(meterRegistry), but is a "
                        + tracker.getClass().getName()
                        + ".");
              }
              hikari.setMetricsTrackerFactory(factory);
            });
  }
}

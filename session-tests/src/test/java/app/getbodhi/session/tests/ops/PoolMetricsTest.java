package app.getbodhi.session.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The pools the backends open report to HikariCP's own Micrometer tracker when {@link
 * SessionStoreConfig#withPoolMetricsTrackerFactory} names one.
 */
class PoolMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private SessionStoreConfig tracked() {
    return SessionStoreConfig.defaults()
        .withPoolMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
  }

  private double gauge(String name, String pool) {
    return registry.get(name).tag("pool", pool).gauge().value();
  }

  @Test
  void theSqlitePoolReportsItsConnectionsUnderItsPoolName() {
    try (SqliteFixture db = SqliteFixture.tempFile();
        SqliteSessionStore store = SqliteSessionStore.open(db.url(), tracked())) {
      store.migrate();
      store.load(SessionId.generate());

      assertThat(gauge("hikaricp.connections.max", "bodhi-sessions-sqlite"))
          .isEqualTo(SessionStoreConfig.DEFAULT_MAXIMUM_POOL_SIZE);
      assertThat(gauge("hikaricp.connections", "bodhi-sessions-sqlite")).isPositive();
      assertThat(
              registry
                  .get("hikaricp.connections.usage")
                  .tag("pool", "bodhi-sessions-sqlite")
                  .timer()
                  .count())
          .isPositive();
    }
  }

  @Test
  void thePostgresPoolReportsItsConnectionsUnderItsPoolName() {
    try (PostgresSchema schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
        PgSessionStore store =
            PgSessionStore.connect(schema.url(), tracked().withMaximumPoolSize(3))) {
      store.migrate();
      store.load(SessionId.generate());

      assertThat(gauge("hikaricp.connections.max", PgSessionStore.POOL_NAME)).isEqualTo(3);
      assertThat(gauge("hikaricp.connections", PgSessionStore.POOL_NAME)).isPositive();
    }
  }

  @Test
  void closingTheStoreTakesThePoolsMetersAway() {
    try (SqliteFixture db = SqliteFixture.tempFile()) {
      SqliteSessionStore store = SqliteSessionStore.open(db.url(), tracked());
      assertThat(registry.find("hikaricp.connections.max").gauges()).hasSize(1);

      store.close();

      assertThat(registry.getMeters())
          .extracting(Meter::getId)
          .noneSatisfy(id -> assertThat(id.getName()).startsWith("hikaricp."));
    }
  }

  @Test
  void withoutATrackerNoPoolMeterAppears() {
    try (SqliteFixture db = SqliteFixture.tempFile();
        SqliteSessionStore store = SqliteSessionStore.open(db.url())) {
      store.migrate();

      assertThat(registry.getMeters()).isEmpty();
    }
  }

  @Test
  void somethingThatIsNotATrackerFactoryIsRefusedWhenThePoolOpens() {
    SessionStoreConfig wrong =
        SessionStoreConfig.defaults().withPoolMetricsTrackerFactory(registry);

    try (SqliteFixture db = SqliteFixture.tempFile()) {
      assertThatThrownBy(() -> SqliteSessionStore.open(db.url(), wrong))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
          .hasMessageContaining("SessionStoreConfig.poolMetricsTrackerFactory")
          .hasMessageContaining("MetricsTrackerFactory")
          .hasMessageContaining(SimpleMeterRegistry.class.getName());
    }
  }
}

package app.getbodhi.session.spring.autoconfigure;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.StoreHealth;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the session store to Actuator's health endpoint: up with the backend and schema version,
 * or down with the reason (messages built to be shown: no password, no id). One connection and two
 * trivial queries per check.
 */
public final class BodhiSessionHealthIndicator implements HealthIndicator {

  private final ManagedSessionStore store;

  /**
   * @param store the store to check
   */
  public BodhiSessionHealthIndicator(ManagedSessionStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public Health health() {
    StoreHealth health = store.health();
    Health.Builder builder = health.up() ? Health.up() : Health.down();
    builder.withDetail("backend", health.backend());
    health.schemaVersion().ifPresent(version -> builder.withDetail("schemaVersion", version));
    health.problem().ifPresent(problem -> builder.withDetail("problem", problem));
    return builder.build();
  }
}

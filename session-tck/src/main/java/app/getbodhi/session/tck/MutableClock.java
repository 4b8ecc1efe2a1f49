package app.getbodhi.session.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so expiry is tested by moving time
 * instead of sleeping. Pass it to a store with {@code
 * SessionStoreConfig.defaults().withClock(clock)}.
 *
 * <p>Thread-safe: the current instant is held atomically, and every clock derived with {@link
 * #withZone(ZoneId)} shares it.
 */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Returns a clock standing at an instant, in UTC.
   *
   * @param start the instant the clock shows until it is moved
   * @return the clock
   */
  public static MutableClock at(Instant start) {
    return new MutableClock(
        new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward (or back, with a negative amount).
   *
   * @param amount how far to move
   * @return the new instant
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    return now.updateAndGet(instant -> instant.plus(amount));
  }

  /**
   * Sets the clock to an instant.
   *
   * @param instant the new instant
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** Returns a clock in another zone that shares this clock's instant: moving one moves both. */
  @Override
  public MutableClock withZone(ZoneId newZone) {
    return new MutableClock(now, Objects.requireNonNull(newZone, "newZone"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + "]";
  }
}

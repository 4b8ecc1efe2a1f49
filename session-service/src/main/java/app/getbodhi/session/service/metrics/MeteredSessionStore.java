package app.getbodhi.session.service.metrics;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.service.ForwardingSessionStore;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link ManagedSessionStore} that times every call of the store it wraps with Micrometer, and
 * counts clean-up rounds and the expired sessions they delete. Wrap the store a backend opened,
 * before the session service sees it:
 *
 * <pre>{@code
 * DefaultSessionService service =
 *     DefaultSessionService.connect(
 *         settings,
 *         SessionStoreConfig.defaults()
 *             .withPoolMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry)),
 *         store -> new MeteredSessionStore(store, registry));
 * }</pre>
 *
 * <p>Meters, in base units (seconds), all tagged {@value #TAG_BACKEND} ({@code sqlite}, {@code
 * postgres}):
 *
 * <ul>
 *   <li>{@value #OPERATIONS}: a timer per {@value #TAG_OPERATION} (the store method: {@code load},
 *       {@code create}, {@code save}, {@code update}, {@code delete}, {@code clearSessionsForUser},
 *       {@code deleteExpired}, ...) and {@value #TAG_OUTCOME}: {@value #SUCCESS}, or the failure's
 *       kind ({@code database}, {@code serialization}, ... of {@link SessionServiceException.Kind};
 *       {@code invalid_argument}; {@code error} for anything else). A call that throws is timed
 *       too, and the exception passes through unchanged.
 *   <li>{@value #CLEANUP_ROUNDS}: a counter of {@code deleteExpired} calls, by {@value
 *       #TAG_OUTCOME}.
 *   <li>{@value #CLEANUP_DELETED}: a counter of the expired sessions those calls deleted.
 * </ul>
 *
 * <p>Every tag value comes from a fixed set: no session id, ref, user id or message ever becomes a
 * tag, so the number of series stays bounded and no secret reaches a metrics backend. Micrometer is
 * an optional dependency of this module: an application that uses this class brings it.
 *
 * <p>{@link #health()} is not timed: a health check has its own result, and probes would swamp the
 * store's timings.
 *
 * <p>Thread-safe, as the wrapped store is. {@link #close()} closes the wrapped store; the meters
 * stay in the registry, which the application owns.
 */
public final class MeteredSessionStore extends ForwardingSessionStore {

  /** The timer of every store call. */
  public static final String OPERATIONS = "bodhi.sessions.store.operations";

  /** The counter of clean-up rounds ({@code deleteExpired} calls). */
  public static final String CLEANUP_ROUNDS = "bodhi.sessions.cleanup.rounds";

  /** The counter of expired sessions deleted by clean-up rounds. */
  public static final String CLEANUP_DELETED = "bodhi.sessions.cleanup.deleted";

  /** The tag naming the store method. */
  public static final String TAG_OPERATION = "operation";

  /** The tag naming the backend. */
  public static final String TAG_BACKEND = "backend";

  /** The tag saying how the call ended. */
  public static final String TAG_OUTCOME = "outcome";

  /** The outcome of a call that returned normally. */
  public static final String SUCCESS = "success";

  private final Clock clock;
  private final Meter.MeterProvider<Timer> timers;
  private final Meter.MeterProvider<Counter> rounds;
  private final Counter deleted;

  /**
   * Wraps a store.
   *
   * @param store the store to time; {@link #close()} closes it
   * @param registry where the meters go
   */
  public MeteredSessionStore(ManagedSessionStore store, MeterRegistry registry) {
    super(store);
    Objects.requireNonNull(registry, "registry");
    this.clock = registry.config().clock();
    String backend = store.backendName();
    this.timers =
        Timer.builder(OPERATIONS)
            .description("Time taken by session store calls")
            .tag(TAG_BACKEND, backend)
            .withRegistry(registry);
    this.rounds =
        Counter.builder(CLEANUP_ROUNDS)
            .description("Rounds of deleting expired sessions")
            .baseUnit("rounds")
            .tag(TAG_BACKEND, backend)
            .withRegistry(registry);
    this.deleted =
        // no base unit: Prometheus would append it, and "deleted" already says what is counted
        Counter.builder(CLEANUP_DELETED)
            .description("Expired sessions deleted by clean-up rounds")
            .tag(TAG_BACKEND, backend)
            .register(registry);
  }

  /**
   * Times one store call under {@code operation} with the outcome it had. The one place where
   * timing happens: every operation {@link ForwardingSessionStore} forwards comes through here.
   */
  @Override
  protected <T> T forward(String operation, Supplier<T> call) {
    long start = clock.monotonicTime();
    String outcome = "error";
    try {
      T result = call.get();
      outcome = SUCCESS;
      return result;
    } catch (RuntimeException e) {
      outcome = outcome(e);
      throw e;
    } finally {
      timers
          .withTags(TAG_OPERATION, operation, TAG_OUTCOME, outcome)
          .record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** A failure's outcome tag: one of a fixed set, never the message. */
  static String outcome(RuntimeException failure) {
    if (failure instanceof SessionServiceException e) {
      return e.kind().name().toLowerCase(Locale.ROOT);
    }
    if (failure instanceof IllegalArgumentException || failure instanceof NullPointerException) {
      return "invalid_argument";
    }
    return "error";
  }

  /**
   * Timed as every operation is, and counted as one clean-up round with the sessions it deleted.
   */
  @Override
  public int deleteExpired() {
    int count;
    try {
      count = super.deleteExpired();
    } catch (RuntimeException e) {
      rounds.withTags(TAG_OUTCOME, outcome(e)).increment();
      throw e;
    }
    rounds.withTags(TAG_OUTCOME, SUCCESS).increment();
    deleted.increment(count);
    return count;
  }

  @Override
  public String toString() {
    return "MeteredSessionStore[" + store() + "]";
  }
}

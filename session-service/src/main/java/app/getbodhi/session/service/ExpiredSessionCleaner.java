package app.getbodhi.session.service;

import app.getbodhi.session.ManagedSessionStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired sessions in the background, on one daemon thread, every period. A failed round is
 * logged and the next one runs as planned, so a database outage does not stop cleanup for good. On
 * PostgreSQL only one node deletes at a time (the store takes an advisory lock); the others skip
 * the round. Expiry is judged by the store's clock.
 */
public final class ExpiredSessionCleaner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExpiredSessionCleaner.class);

  private final ManagedSessionStore store;
  private final ScheduledExecutorService executor;
  private final IntConsumer afterRound;

  /**
   * Starts cleaning: the first round runs one period from now.
   *
   * @param store the store to clean
   * @param period the time between the end of one round and the start of the next; positive
   */
  public ExpiredSessionCleaner(ManagedSessionStore store, Duration period) {
    this(store, period, deleted -> {});
  }

  /**
   * Starts cleaning, telling a listener after each round; for tests that wait for a round.
   *
   * @param store the store to clean
   * @param period the time between rounds; positive
   * @param afterRound called with the number deleted after each round, -1 after a failed one
   */
  ExpiredSessionCleaner(ManagedSessionStore store, Duration period, IntConsumer afterRound) {
    this.store = Objects.requireNonNull(store, "store");
    this.afterRound = Objects.requireNonNull(afterRound, "afterRound");
    if (period == null || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive");
    }
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "bodhi-sessions-cleaner");
              // never keep an application alive just to delete sessions
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleWithFixedDelay(
        this::round, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs one round now, on the caller's thread.
   *
   * @return how many sessions were deleted
   */
  public int runOnce() {
    return store.deleteExpired();
  }

  private void round() {
    int deleted;
    try {
      deleted = runOnce();
      if (deleted > 0) {
        LOG.debug("Deleted {} expired sessions from the {} store", deleted, store.backendName());
      }
    } catch (RuntimeException e) {
      // the exception's message is built to be safe for logs: no ids, no passwords
      LOG.warn("Could not delete expired sessions; will try again next round: {}", e.getMessage());
      deleted = -1;
    }
    afterRound.accept(deleted);
  }

  /** Stops the thread; a round under way finishes first, for at most 10 seconds. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Tells whether the cleaner has been closed.
   *
   * @return whether the thread is stopping or stopped
   */
  public boolean isClosed() {
    return executor.isShutdown();
  }
}

package app.getbodhi.session.spring.reactive;

import app.getbodhi.session.SessionServiceException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where the reactive repository runs the store's blocking JDBC calls: a bounded pool of threads,
 * one per pooled connection, with a bounded queue in front, so that no event-loop thread ever waits
 * for the database.
 *
 * <ul>
 *   <li>At most {@link #threads()} calls run at once: as many as the store has connections, so a
 *       running call never waits for a connection held by another.
 *   <li>When every thread is busy, a call waits in a queue of at most {@link #queuePerThread()}
 *       calls per thread. A call beyond that fails at once with a {@link SessionServiceException}
 *       of kind {@code DATABASE} that says the store is saturated: the request fails fast instead
 *       of piling up behind a database that cannot keep up. Nothing is queued without bound.
 *   <li>The work's result is delivered on Reactor's parallel scheduler, not on the store thread, so
 *       the application's code after a session lookup never occupies a store thread (and, running
 *       on a non-blocking thread, is held to the same no-blocking rule as an event loop).
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the threads; calls after it fail.
 */
public final class StoreScheduler implements AutoCloseable {

  /** How many calls may wait per store thread unless configured: 100. */
  public static final int DEFAULT_QUEUE_PER_THREAD = 100;

  /** The most threads accepted: the largest pool a store opens. */
  public static final int MAX_THREADS = 1000;

  /** The longest queue per thread accepted. */
  public static final int MAX_QUEUE_PER_THREAD = 100_000;

  /** The property that sets the queue per thread, named in messages. */
  static final String QUEUE_PROPERTY = "bodhi.session.reactive.queue-per-thread";

  /** How long an idle store thread lives before it is let go, in seconds. */
  static final int THREAD_TTL_SECONDS = 60;

  private final Scheduler store;
  private final Scheduler resume;
  private final int threads;
  private final int queuePerThread;

  private StoreScheduler(int threads, int queuePerThread, Scheduler resume) {
    this.threads =
        between(
            threads, MAX_THREADS, "The store scheduler's threads", " (one per pooled connection)");
    this.queuePerThread = between(queuePerThread, MAX_QUEUE_PER_THREAD, QUEUE_PROPERTY, "");
    this.resume = Objects.requireNonNull(resume, "resume");
    this.store =
        Schedulers.newBoundedElastic(
            threads, queuePerThread, "bodhi-session-store", THREAD_TTL_SECONDS, true);
  }

  /**
   * Checks one of the scheduler's sizes.
   *
   * @param setting what the message names: the property that sets the size, where one does
   * @param why why the limit is what it is, or empty
   * @return the value, when it is from 1 to {@code max}
   */
  private static int between(int value, int max, String setting, String why) {
    if (value < 1 || value > max) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          setting + " must be between 1 and " + max + why + ", not " + value + ".");
    }
    return value;
  }

  /**
   * A scheduler for a store with {@code threads} pooled connections; results are delivered on
   * Reactor's parallel scheduler.
   *
   * @param threads the store's connection pool size, 1 to {@value #MAX_THREADS}
   * @param queuePerThread how many calls may wait per thread when all are busy, 1 to {@value
   *     #MAX_QUEUE_PER_THREAD}
   * @return the scheduler; close it with the store
   * @throws SessionServiceException of kind CONFIGURATION, naming the setting and its limits, when
   *     a value is out of range
   */
  public static StoreScheduler create(int threads, int queuePerThread) {
    return new StoreScheduler(threads, queuePerThread, Schedulers.parallel());
  }

  /**
   * Returns how many store calls may run at once.
   *
   * @return the thread cap
   */
  public int threads() {
    return threads;
  }

  /**
   * Returns how many calls may wait per thread when every thread is busy.
   *
   * @return the queue cap per thread
   */
  public int queuePerThread() {
    return queuePerThread;
  }

  /**
   * Runs blocking store work on a store thread and delivers its result on a non-blocking thread.
   *
   * @param work the work; a {@code null} result completes empty
   * @param <T> the result type
   * @return the result, lazily: nothing runs until subscribed
   */
  public <T> Mono<T> call(Callable<T> work) {
    Objects.requireNonNull(work, "work");
    return Mono.fromCallable(work)
        .subscribeOn(store)
        .publishOn(resume)
        .onErrorMap(RejectedExecutionException.class, this::saturated);
  }

  /**
   * Runs blocking store work that returns nothing; see {@link #call}.
   *
   * @param work the work
   * @return completes when the work is done
   */
  public Mono<Void> run(Runnable work) {
    Objects.requireNonNull(work, "work");
    return call(
        () -> {
          work.run();
          return null;
        });
  }

  private SessionServiceException saturated(RejectedExecutionException e) {
    if (store.isDisposed()) {
      return new SessionServiceException(
          SessionServiceException.Kind.DATABASE,
          "The session store has been closed: the application is shutting down.",
          e);
    }
    return new SessionServiceException(
        SessionServiceException.Kind.DATABASE,
        "The session store is saturated: all "
            + threads
            + " store threads are busy and "
            + queuePerThread
            + " calls wait per thread ("
            + QUEUE_PROPERTY
            + "). The request"
            + " failed at once rather than queue without bound; retry later, or give the store"
            + " more capacity.",
        e);
  }

  /** Stops the store threads; calls after this fail. */
  @Override
  public void close() {
    store.dispose();
  }

  /** Names the capacity, never a session. */
  @Override
  public String toString() {
    return "StoreScheduler[threads=" + threads + ", queuePerThread=" + queuePerThread + "]";
  }
}

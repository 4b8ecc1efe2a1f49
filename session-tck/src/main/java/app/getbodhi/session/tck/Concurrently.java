package app.getbodhi.session.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Runs tasks on one thread each, released at the same moment by a latch, so that they really
 * overlap: for tests of concurrent saves, racing creates and several nodes migrating at once. No
 * sleeping: threads wait on latches, and the caller waits on the tasks with a timeout.
 */
public final class Concurrently {

  /** How long {@link #runAtOnce(List)} waits for all tasks before it fails. */
  public static final long TIMEOUT_SECONDS = 120;

  private Concurrently() {}

  /**
   * Runs every task on its own thread, all started together, and returns their results.
   *
   * @param tasks the tasks
   * @param <T> the result type
   * @return the results, in task order
   * @throws AssertionError when a task threw (its error is the cause, the others are suppressed) or
   *     the tasks did not finish within {@value #TIMEOUT_SECONDS} seconds
   * @throws InterruptedException when the calling thread is interrupted
   */
  public static <T> List<T> runAtOnce(List<? extends Callable<T>> tasks)
      throws InterruptedException {
    return runAtOnce(tasks, Duration.ofSeconds(TIMEOUT_SECONDS));
  }

  /**
   * Runs {@code count} tasks on a thread each, all started together, and returns their results: the
   * task numbered {@code i}, from 0, is {@code taskNumbered.apply(i)}.
   *
   * @param count how many tasks
   * @param taskNumbered makes the task of a number
   * @param <T> the result type
   * @return the results, in number order
   * @throws AssertionError as {@link #runAtOnce(List)} does
   * @throws InterruptedException when the calling thread is interrupted
   */
  public static <T> List<T> runAtOnce(int count, IntFunction<Callable<T>> taskNumbered)
      throws InterruptedException {
    return runAtOnce(IntStream.range(0, count).mapToObj(taskNumbered).toList());
  }

  /**
   * Runs every task on its own thread, all started together, and returns their results; for runs
   * whose length the caller plans, such as a load test.
   *
   * @param tasks the tasks
   * @param timeout how long the tasks may take, together, before they count as hung
   * @param <T> the result type
   * @return the results, in task order
   * @throws AssertionError when a task threw (its error is the cause, the others are suppressed) or
   *     the tasks did not finish in time
   * @throws InterruptedException when the calling thread is interrupted
   */
  public static <T> List<T> runAtOnce(List<? extends Callable<T>> tasks, Duration timeout)
      throws InterruptedException {
    ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
    CountDownLatch ready = new CountDownLatch(tasks.size());
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            executor.submit(
                () -> {
                  ready.countDown();
                  start.await();
                  return task.call();
                }));
      }
      if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the worker threads did not start");
      }
      start.countDown();
      long deadline = System.nanoTime() + timeout.toNanos();
      List<T> results = new ArrayList<>();
      List<Throwable> errors = new ArrayList<>();
      for (Future<T> future : futures) {
        try {
          results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
          errors.add(e.getCause());
        } catch (TimeoutException e) {
          throw new AssertionError(
              "the tasks did not finish within " + timeout.toSeconds() + " seconds", e);
        }
      }
      if (!errors.isEmpty()) {
        AssertionError failure =
            new AssertionError(
                errors.size() + " of " + tasks.size() + " threads failed: " + errors.get(0),
                errors.get(0));
        errors.stream().skip(1).forEach(failure::addSuppressed);
        throw failure;
      }
      return results;
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(timeout.toSeconds(), TimeUnit.SECONDS);
    }
  }
}

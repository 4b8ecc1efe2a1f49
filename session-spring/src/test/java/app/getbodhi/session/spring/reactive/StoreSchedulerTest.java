package app.getbodhi.session.spring.reactive;

import static app.getbodhi.session.spring.reactive.SessionFailures.assertSessionFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spring.testing.BlockHoundInstalled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * The store scheduler's bounds: as many calls run as it has threads, a bounded number wait, and the
 * next one fails at once with an error that says what is full; nothing queues without bound.
 */
@ExtendWith(BlockHoundInstalled.class)
class StoreSchedulerTest {

  @Test
  void beyond_its_threads_and_queue_a_call_fails_at_once_naming_the_setting() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(2);
    List<Disposable> held = new ArrayList<>();
    try (StoreScheduler scheduler = StoreScheduler.create(2, 3)) {
      Runnable holding =
          () -> {
            running.countDown();
            await(release);
          };
      // two calls hold both threads; only then six wait, three per thread (a call counts as
      // waiting until its thread picks it up)
      for (int i = 0; i < 2; i++) {
        held.add(scheduler.run(holding).subscribe());
      }
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 6; i++) {
        held.add(scheduler.run(holding).subscribe());
      }

      StepVerifier.create(scheduler.call(() -> "too many"))
          .expectErrorSatisfies(
              e ->
                  assertSessionFailure(e, SessionServiceException.Kind.DATABASE)
                      .hasMessageContaining("saturated")
                      .hasMessageContaining("all 2 store threads are busy")
                      .hasMessageContaining("bodhi.session.reactive.queue-per-thread"))
          .verify(Duration.ofSeconds(10));

      release.countDown();
      // once the threads are free, calls run again: as soon as the six waiting calls have drained,
      // which a retry on saturation waits for (a bounded wait, not a sleep)
      StepVerifier.create(
              Mono.defer(() -> scheduler.call(() -> "served"))
                  .retryWhen(Retry.fixedDelay(100, Duration.ofMillis(50)))
                  .subscribeOn(Schedulers.parallel()))
          .expectNext("served")
          .verifyComplete();
    } finally {
      release.countDown();
      held.forEach(Disposable::dispose);
    }
  }

  @Test
  void after_close_a_call_fails_saying_the_store_is_closed() {
    StoreScheduler scheduler = StoreScheduler.create(1, 1);
    scheduler.close();

    StepVerifier.create(scheduler.call(() -> "late"))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("closed"))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void threads_and_queue_outside_their_limits_are_refused_naming_the_limit() {
    assertThatThrownBy(() -> StoreScheduler.create(0, 10))
        .isInstanceOf(SessionServiceException.class)
        .hasMessageContaining("between 1 and 1000");
    assertThatThrownBy(() -> StoreScheduler.create(2, 0))
        .isInstanceOf(SessionServiceException.class)
        .hasMessageContaining("bodhi.session.reactive.queue-per-thread")
        .hasMessageContaining("between 1 and 100000");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

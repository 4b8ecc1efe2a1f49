package app.getbodhi.session.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.spring.testing.BlockHoundInstalled;
import java.io.FileInputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * BlockHound is really on in the reactive tests: a deliberate block on a non-blocking thread is
 * caught, and the same block on a store thread is allowed. Without this, a green reactive suite
 * would prove nothing about blocking.
 */
@ExtendWith(BlockHoundInstalled.class)
class BlockHoundIsActiveTest {

  @Test
  void a_sleep_on_a_parallel_thread_fails_with_a_blocking_operation_error() {
    Mono<String> blocking =
        Mono.fromCallable(
                () -> {
                  Thread.sleep(1);
                  return "slept";
                })
            .subscribeOn(Schedulers.parallel());

    StepVerifier.create(blocking)
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isInstanceOf(BlockingOperationError.class)
                    .hasMessageContaining("Thread.sleep"))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void drawing_a_session_id_is_allowed_but_the_same_read_of_dev_urandom_elsewhere_is_caught() {
    StepVerifier.create(Mono.fromCallable(SessionId::generate).subscribeOn(Schedulers.parallel()))
        .expectNextCount(1)
        .verifyComplete();

    Mono<Integer> readRandom =
        Mono.fromCallable(
                () -> {
                  try (FileInputStream in = new FileInputStream("/dev/urandom")) {
                    return in.read(new byte[16]);
                  }
                })
            .subscribeOn(Schedulers.parallel());
    StepVerifier.create(readRandom)
        .expectError(BlockingOperationError.class)
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void the_same_sleep_on_a_store_thread_is_allowed_and_the_result_comes_back_on_a_parallel_one() {
    AtomicReference<String> deliveredOn = new AtomicReference<>();
    try (StoreScheduler scheduler = StoreScheduler.create(1, 1)) {
      Mono<String> blocking =
          scheduler
              .call(
                  () -> {
                    Thread.sleep(1);
                    return Thread.currentThread().getName();
                  })
              .doOnNext(ignored -> deliveredOn.set(Thread.currentThread().getName()));

      StepVerifier.create(blocking)
          .assertNext(ranOn -> assertThat(ranOn).startsWith("bodhi-session-store"))
          .verifyComplete();
    }
    assertThat(deliveredOn.get()).startsWith("parallel-");
  }
}

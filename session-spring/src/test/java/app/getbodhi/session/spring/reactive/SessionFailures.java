package app.getbodhi.session.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionServiceException;
import org.assertj.core.api.AbstractThrowableAssert;

/** Assertions on the errors a reactive call signals. */
final class SessionFailures {

  private SessionFailures() {}

  /**
   * Asserts that {@code error} is a {@link SessionServiceException} of {@code kind}.
   *
   * @param error what the call signalled
   * @param kind the kind it must have
   * @return the assertion, to check the message on
   */
  static AbstractThrowableAssert<?, ? extends Throwable> assertSessionFailure(
      Throwable error, SessionServiceException.Kind kind) {
    return assertThat(error)
        .isInstanceOfSatisfying(
            SessionServiceException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}

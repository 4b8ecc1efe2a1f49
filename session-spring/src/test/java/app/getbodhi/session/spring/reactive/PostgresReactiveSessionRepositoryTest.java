package app.getbodhi.session.spring.reactive;

import app.getbodhi.session.spring.TestBackend;

/**
 * The reactive repository contract on PostgreSQL ({@code BODHI_TEST_PG_URL} when set, else an
 * embedded server), in a fresh schema. Never skipped: without a server every test fails.
 */
class PostgresReactiveSessionRepositoryTest extends ReactiveSessionRepositoryContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}

package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Spring Session repository contract on PostgreSQL ({@code BODHI_TEST_PG_URL} when set, else an
 * embedded server), in a fresh schema. Never skipped: without a server every test fails.
 */
class PostgresBodhiSessionRepositoryTest extends BodhiSessionRepositoryContract {

  @Override
  TestBackend backend() {
    return TestBackend.POSTGRES;
  }

  @Test
  void the_contract_really_runs_on_postgresql() {
    assertThat(repository.store().backendName()).isEqualTo("postgres");
  }
}

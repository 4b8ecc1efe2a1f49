package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Spring Session repository contract on a SQLite file. */
class SqliteBodhiSessionRepositoryTest extends BodhiSessionRepositoryContract {

  @Override
  TestBackend backend() {
    return TestBackend.SQLITE;
  }

  @Test
  void the_contract_really_runs_on_sqlite() {
    assertThat(repository.store().backendName()).isEqualTo("sqlite");
  }
}

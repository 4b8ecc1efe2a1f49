package app.getbodhi.session.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The reactive repository contract on a SQLite file. */
class SqliteReactiveSessionRepositoryTest extends ReactiveSessionRepositoryContract {

  @Override
  TestDatabase newDatabase() {
    return SqliteFixture.tempFile();
  }

  @Override
  ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return new SqliteSessionStore(dataSource, config);
  }

  @Test
  void the_contract_really_runs_on_sqlite() {
    assertThat(repository.blocking().store().backendName()).isEqualTo("sqlite");
  }
}

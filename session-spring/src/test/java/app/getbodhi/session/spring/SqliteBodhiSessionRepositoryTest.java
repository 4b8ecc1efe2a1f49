package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The Spring Session repository contract on a SQLite file. */
class SqliteBodhiSessionRepositoryTest extends BodhiSessionRepositoryContract {

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
    assertThat(repository.store().backendName()).isEqualTo("sqlite");
  }
}

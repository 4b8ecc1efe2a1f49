package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import org.junit.jupiter.api.Test;

/**
 * The session filter over HTTP, on MariaDB ({@code BODHI_TEST_MARIADB_URL} when set, else an
 * embedded server), in a fresh database per test class. Never skipped: without a server every test
 * fails.
 */
class MariaDbSessionFilterTest extends SessionFilterContract {

  @Override
  protected FilterHarness newHarness() {
    return BackendHarnesses.mariadb();
  }

  @Test
  void the_suite_really_runs_on_mariadb_in_the_tests_own_database() {
    assertThat(http.store().backendName()).isEqualTo("mariadb");
    String database = ((MariaDbDatabase) http.database()).name();
    // a configured server may hold other tests' databases: this one is the connections' own
    assertThat(http.database().queryStrings("SELECT DATABASE()")).containsExactly(database);
    assertThat(http.database().tableNames()).contains("bodhi_sessions");
  }
}

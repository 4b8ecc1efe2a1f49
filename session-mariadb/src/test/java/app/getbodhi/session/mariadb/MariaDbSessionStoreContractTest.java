package app.getbodhi.session.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.tck.SessionStoreContract;
import org.junit.jupiter.api.Test;

/**
 * The session store contract, run against MariaDB: {@code BODHI_TEST_MARIADB_URL} when set, else an
 * embedded server; a fresh database per test. Never skipped: without a server every test fails.
 */
class MariaDbSessionStoreContractTest extends SessionStoreContract {

  MariaDbSessionStoreContractTest() {
    super(MariaDbFixture::freshDatabase, MariaDbSessionStore::connect, MariaDbSessionStore::new);
  }

  @Test
  void the_suite_really_runs_against_mariadb_in_the_tests_own_database() {
    assertRunsOn(
        "mariadb",
        MariaDbSessionStore.class,
        "SELECT IF(version() LIKE '%MariaDB%', 'MariaDB', version())",
        "MariaDB");
    String name = ((MariaDbDatabase) database).name();
    assertThat(
            database.queryStrings(
                "SELECT column_type FROM information_schema.columns"
                    + " WHERE table_schema = ? AND table_name = 'bodhi_sessions'"
                    + " AND column_name = 'expiry_date'",
                name))
        .containsExactly("datetime(3)");
  }
}

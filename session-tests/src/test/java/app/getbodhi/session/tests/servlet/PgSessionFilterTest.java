package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.postgres.testing.PostgresSchema;
import org.junit.jupiter.api.Test;

/**
 * The session filter over HTTP, on PostgreSQL ({@code BODHI_TEST_PG_URL} when set, else an embedded
 * server), in a fresh schema per test class. Never skipped: without a server every test fails.
 */
class PgSessionFilterTest extends SessionFilterContract {

  @Override
  protected FilterHarness newHarness() {
    return BackendHarnesses.postgres();
  }

  @Test
  void the_suite_really_runs_on_postgresql_in_the_tests_own_schema() {
    assertThat(http.store().backendName()).isEqualTo("postgres");
    String schema = ((PostgresSchema) http.database()).name();
    assertThat(
            http.database()
                .queryStrings(
                    "SELECT table_schema FROM information_schema.tables"
                        + " WHERE table_name = 'bodhi_sessions'"))
        .containsExactly(schema);
  }
}

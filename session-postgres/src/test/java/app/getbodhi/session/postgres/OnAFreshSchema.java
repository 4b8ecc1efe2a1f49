package app.getbodhi.session.postgres;

import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Gives every test of a subclass a fresh schema on the kit's test server ({@code
 * BODHI_TEST_PG_URL}, else embedded), dropped after the test with the roles made for it.
 */
abstract class OnAFreshSchema {

  /** The current test's schema. */
  PostgresSchema schema;

  @BeforeEach
  void createSchema() {
    schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }
}

package app.getbodhi.session.spring;

/**
 * The Spring Session repository contract on PostgreSQL ({@code BODHI_TEST_PG_URL} when set, else an
 * embedded server), in a fresh schema. Never skipped: without a server every test fails.
 */
class PostgresBodhiSessionRepositoryTest extends BodhiSessionRepositoryContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}

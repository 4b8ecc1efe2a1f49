package app.getbodhi.session.spring;

/** The drop-in contract on PostgreSQL, in a fresh schema; never skipped. */
class PostgresSpringDropInTest extends SpringDropInContract {

  @Override
  protected TestBackend backend() {
    return TestBackend.POSTGRES;
  }
}

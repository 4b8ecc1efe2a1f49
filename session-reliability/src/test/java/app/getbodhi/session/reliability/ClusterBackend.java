package app.getbodhi.session.reliability;

import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.tck.TestDatabase;
import java.util.function.Supplier;

/**
 * The backends application nodes share in cluster mode, each able to hand out a fresh database on
 * the JVM's shared test server: a new PostgreSQL schema ({@code BODHI_TEST_PG_URL}, else embedded)
 * or a new MariaDB database ({@code BODHI_TEST_MARIADB_URL}, else embedded). For tests of what
 * several nodes do together, parameterised with {@code @EnumSource}.
 */
enum ClusterBackend {
  POSTGRES(Backend.POSTGRES::freshDatabase),
  MARIADB(MariaDbFixture::freshDatabase);

  private final Supplier<TestDatabase> fresh;

  ClusterBackend(Supplier<TestDatabase> fresh) {
    this.fresh = fresh;
  }

  /**
   * Makes a new, empty database; closing it removes it.
   *
   * @return the database
   */
  TestDatabase freshDatabase() {
    return fresh.get();
  }
}

package app.getbodhi.session.postgres;

import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.tck.ServerSealedStorageContract;

/** The sealed-storage contract on PostgreSQL, whose old row versions VACUUM FULL reclaims. */
class PgSealedStorageTest extends ServerSealedStorageContract {

  PgSealedStorageTest() {
    super(
        () -> PostgresFixture.shared(PgSessionStore::dataSource).freshSchema(),
        PgSessionStore::connect,
        PgSessionStore::new,
        "VACUUM FULL");
  }
}

package app.getbodhi.session.reliability;

import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;

/**
 * The two backends, each able to hand out a fresh database: a SQLite file in a new temporary
 * folder, or a new schema on the shared test PostgreSQL ({@code BODHI_TEST_PG_URL}, else embedded).
 * For {@code @EnumSource} tests that must hold on both.
 */
enum Backend {
  SQLITE {
    @Override
    TestDatabase freshDatabase() {
      return SqliteFixture.tempFile();
    }
  },
  POSTGRES {
    @Override
    TestDatabase freshDatabase() {
      return PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
    }
  };

  /**
   * Makes a new, empty database; closing it removes it.
   *
   * @return the database
   */
  abstract TestDatabase freshDatabase();
}

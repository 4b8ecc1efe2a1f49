package app.getbodhi.session.cli;

import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Every backend the commands run on, each able to hand out a fresh, empty database: a SQLite file
 * in a given folder, a new schema on the shared test PostgreSQL ({@code BODHI_TEST_PG_URL}, else
 * embedded), a new database on the shared test MariaDB ({@code BODHI_TEST_MARIADB_URL}, else
 * embedded). For {@code @EnumSource} and {@code @MethodSource} tests that must hold on each.
 */
enum ServerBackend {
  SQLITE("sqlite"),
  POSTGRES("postgres"),
  MARIADB("mariadb");

  private final String backendName;

  ServerBackend(String backendName) {
    this.backendName = backendName;
  }

  /**
   * Makes a new, empty database; closing it removes it (a SQLite file stays in {@code folder}).
   *
   * @param folder where a SQLite file goes
   * @return the database
   */
  TestDatabase freshDatabase(Path folder) {
    return switch (this) {
      case SQLITE -> SqliteFixture.at(folder.resolve(UUID.randomUUID() + ".sqlite"));
      case POSTGRES -> PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
      case MARIADB -> MariaDbFixture.freshDatabase();
    };
  }

  /**
   * @return the name the commands show for the backend, such as {@code postgres}
   */
  String backendName() {
    return backendName;
  }
}

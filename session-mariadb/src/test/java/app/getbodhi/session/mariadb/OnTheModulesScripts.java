package app.getbodhi.session.mariadb;

import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Gives a test class one fresh MariaDB database with this module's SQL scripts applied by Flyway
 * alone, without a store: for checks of the schema and of the dialect's behaviour on it. The table
 * is emptied before each test; the database is dropped after the class.
 */
abstract class OnTheModulesScripts {

  /** The class's database. */
  static MariaDbDatabase database;

  @BeforeAll
  static void migrate() {
    database = MariaDbFixture.freshDatabase();
    Flyway.configure()
        .dataSource(database.dataSource())
        .locations(MariaDbSessionStore.MIGRATION_LOCATION)
        .table("bodhi_sessions_schema_history")
        .load()
        .migrate();
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  @BeforeEach
  void empty() {
    database.execute("DELETE FROM bodhi_sessions");
  }
}

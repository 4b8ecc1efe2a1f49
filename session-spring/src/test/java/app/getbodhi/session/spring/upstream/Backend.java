package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.SessionAttributeCodec;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.CountingDataSource;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The backends the ported suites run on, each on its test fixture's database: a SQLite file, a
 * fresh PostgreSQL schema (embedded unless {@code BODHI_TEST_PG_URL} is set), a fresh MariaDB
 * database (embedded unless {@code BODHI_TEST_MARIADB_URL} is set). Never skipped.
 */
enum Backend {
  SQLITE(SqliteFixture::tempFile, SqliteSessionStore::new),
  POSTGRES(
      () -> PostgresFixture.shared(PgSessionStore::dataSource).freshSchema(), PgSessionStore::new),
  MARIADB(MariaDbFixture::freshDatabase, MariaDbSessionStore::new);

  /** Spring Session's default timeout ({@code MapSession.DEFAULT_MAX_INACTIVE_INTERVAL}). */
  static final Duration SPRING_DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private final Supplier<TestDatabase> database;
  private final BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> store;

  Backend(
      Supplier<TestDatabase> database,
      BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> store) {
    this.database = database;
    this.store = store;
  }

  /** A fresh database of this backend; the caller closes it. */
  TestDatabase newDatabase() {
    return database.get();
  }

  /** A migrated store on the database's connections, counted, on the system clock. */
  ManagedSessionStore openStore(CountingDataSource connections) {
    ManagedSessionStore opened = store.apply(connections, SessionStoreConfig.defaults());
    opened.migrate();
    return opened;
  }

  /**
   * The slack a session with Spring Session's default timeout is stored with: it lives at most this
   * much longer than its timeout after its last access.
   */
  static Duration slack(ManagedSessionStore store) {
    return layer(store).granularityFor(SPRING_DEFAULT_TIMEOUT);
  }

  private static SessionManagerLayer layer(ManagedSessionStore store) {
    return SessionManagerLayer.builder(store).expiry(SPRING_DEFAULT_TIMEOUT).build();
  }

  /** A repository on a store with Spring Session's default timeout, on the system clock. */
  static BodhiSessionRepository repository(ManagedSessionStore store, SessionAttributeCodec codec) {
    return new BodhiSessionRepository(store, layer(store), codec);
  }
}

package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
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
 * The backends this module's tests run on, each on its test fixture's database: a SQLite file, a
 * fresh PostgreSQL schema (embedded unless {@code BODHI_TEST_PG_URL} is set), a fresh MariaDB
 * database (embedded unless {@code BODHI_TEST_MARIADB_URL} is set). Never skipped.
 */
public enum TestBackend {
  SQLITE("sqlite", SqliteFixture::tempFile, SqliteSessionStore::new),
  POSTGRES(
      "postgres",
      () -> PostgresFixture.shared(PgSessionStore::dataSource).freshSchema(),
      PgSessionStore::new),
  MARIADB("mariadb", MariaDbFixture::freshDatabase, MariaDbSessionStore::new);

  /** Spring Session's default timeout ({@code MapSession.DEFAULT_MAX_INACTIVE_INTERVAL}). */
  public static final Duration SPRING_DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private final String backendName;
  private final Supplier<TestDatabase> database;
  private final BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> store;

  TestBackend(
      String backendName,
      Supplier<TestDatabase> database,
      BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> store) {
    this.backendName = backendName;
    this.database = database;
    this.store = store;
  }

  /**
   * The name this backend's store gives itself ({@code ManagedSessionStore.backendName()}).
   *
   * @return the name
   */
  public String backendName() {
    return backendName;
  }

  /**
   * A fresh database of this backend; the caller closes it.
   *
   * @return the database
   */
  public TestDatabase newDatabase() {
    return database.get();
  }

  /**
   * This backend's store on a data source the test owns, not migrated.
   *
   * @param connections the data source
   * @param config the store's settings (its clock)
   * @return the store
   */
  public ManagedSessionStore newStore(DataSource connections, SessionStoreConfig config) {
    return store.apply(connections, config);
  }

  /**
   * A migrated store on the database's connections, counted, on the system clock.
   *
   * @param connections the data source
   * @return the store
   */
  public ManagedSessionStore openStore(CountingDataSource connections) {
    ManagedSessionStore opened = newStore(connections, SessionStoreConfig.defaults());
    opened.migrate();
    return opened;
  }

  /**
   * The slack a session with Spring Session's default timeout is stored with: it lives at most this
   * much longer than its timeout after its last access.
   */
  public static Duration slack(ManagedSessionStore store) {
    return layer(store).granularityFor(SPRING_DEFAULT_TIMEOUT);
  }

  private static SessionManagerLayer layer(ManagedSessionStore store) {
    return SessionManagerLayer.builder(store).expiry(SPRING_DEFAULT_TIMEOUT).build();
  }

  /**
   * A repository on a store with Spring Session's default timeout, on the system clock.
   *
   * @param store the store
   * @param codec the attribute codec
   * @return the repository
   */
  public static BodhiSessionRepository repository(
      ManagedSessionStore store, SessionAttributeCodec codec) {
    return new BodhiSessionRepository(store, layer(store), codec);
  }
}

package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract of the kit stands on ({@link SessionStoreContract}, {@link
 * SealedStorageContract}): a fresh {@link TestDatabase} and {@link MutableClock} per test, the
 * backend's factories, stores that are closed after the test, and the helpers that build and save
 * sessions. A backend never extends this directly; it extends a contract.
 */
public abstract class StoreContractKit {

  /**
   * Where the clock starts: a fixed instant long past, so a store that reads the system clock
   * instead of the injected one sees every session as expired and fails the tests.
   */
  protected static final Instant START = Instant.parse("2000-01-01T00:00:00Z");

  /** How long the sessions the tests save live. */
  protected static final Duration TTL = Duration.ofHours(1);

  /** The name of the Flyway history table every backend migrates with. */
  protected static final String HISTORY_TABLE = "bodhi_sessions_schema_history";

  /** The session table. */
  protected static final String TABLE = "bodhi_sessions";

  /** The index on the user id. */
  protected static final String USER_ID_INDEX = "idx_bodhi_sessions_user_id";

  /** The index on the expiry. */
  protected static final String EXPIRY_INDEX = "idx_bodhi_sessions_expiry_date";

  /** The clock every store of the current test reads; advance it to expire sessions. */
  protected MutableClock clock;

  /** The current test's database. */
  protected TestDatabase database;

  private final Deque<ManagedSessionStore> openStores = new ArrayDeque<>();
  private ManagedSessionStore store;

  private final Supplier<TestDatabase> databases;
  private final BiFunction<String, SessionStoreConfig, ManagedSessionStore> storesByUrl;
  private final BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> storesOnPool;

  /**
   * For a backend that overrides {@link #newDatabase()} and both {@code newStore} methods itself.
   */
  protected StoreContractKit() {
    this(null, null, null);
  }

  /**
   * For a backend whose database and stores each come from one factory call, the usual case.
   *
   * @param databases makes a fresh, empty database, as {@link #newDatabase()} does
   * @param storesByUrl opens the store on a URL, as {@link #newStore(String, SessionStoreConfig)}
   * @param storesOnPool opens the store on a caller's data source, as {@link #newStore(DataSource,
   *     SessionStoreConfig)}
   */
  protected StoreContractKit(
      Supplier<TestDatabase> databases,
      BiFunction<String, SessionStoreConfig, ManagedSessionStore> storesByUrl,
      BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> storesOnPool) {
    this.databases = databases;
    this.storesByUrl = storesByUrl;
    this.storesOnPool = storesOnPool;
  }

  private <T> T required(T factory, String method) {
    if (factory == null) {
      throw new IllegalStateException(
          getClass().getName() + " must override " + method + " or pass it to the constructor");
    }
    return factory;
  }

  /**
   * Makes a fresh, empty database for one test; the kit closes it after the test.
   *
   * @return the database, such as {@code SqliteFixture.tempFile()} or {@code
   *     PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()}
   */
  protected TestDatabase newDatabase() {
    return required(databases, "newDatabase()").get();
  }

  /**
   * Opens the backend's store on a URL, with its own connection pool, without migrating.
   *
   * @param url the database's URL, {@link TestDatabase#url()}
   * @param config the settings; its clock is the test's {@link #clock}
   * @return the store
   */
  protected ManagedSessionStore newStore(String url, SessionStoreConfig config) {
    return required(storesByUrl, "newStore(String, SessionStoreConfig)").apply(url, config);
  }

  /**
   * Opens the backend's store on a data source the caller owns, without migrating.
   *
   * @param dataSource the data source; closing the store must leave it open
   * @param config the settings
   * @return the store
   */
  protected ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config) {
    return required(storesOnPool, "newStore(DataSource, SessionStoreConfig)")
        .apply(dataSource, config);
  }

  /**
   * Checks that the suite really runs on the backend a subclass names: the store's name and type,
   * and the database server's own version.
   *
   * @param backendName the name the store gives, such as {@code sqlite}
   * @param storeType the store's class
   * @param versionQuery SQL that returns the server's version as one row
   * @param versionPrefix how that version starts
   */
  protected void assertRunsOn(
      String backendName, Class<?> storeType, String versionQuery, String versionPrefix) {
    assertThat(store().backendName()).isEqualTo(backendName);
    assertThat(store()).isInstanceOf(storeType);
    assertThat(database.queryStrings(versionQuery))
        .singleElement()
        .asString()
        .startsWith(versionPrefix);
  }

  @BeforeEach
  void createDatabase() {
    clock = MutableClock.at(START);
    database = newDatabase();
  }

  @AfterEach
  void closeStoresAndDatabase() {
    try {
      while (!openStores.isEmpty()) {
        openStores.pop().close();
      }
    } finally {
      store = null;
      database.close();
    }
  }

  /**
   * Returns the settings tests use unless they need others: the defaults with the test's clock.
   *
   * @return the settings
   */
  protected SessionStoreConfig config() {
    return SessionStoreConfig.defaults().withClock(clock);
  }

  /**
   * Opens a store on the test's database, not migrated; it is closed after the test.
   *
   * @param config the settings
   * @return the store
   */
  protected ManagedSessionStore open(SessionStoreConfig config) {
    ManagedSessionStore opened = newStore(database.url(), config);
    openStores.push(opened);
    return opened;
  }

  /**
   * Opens and migrates a store on the test's database; it is closed after the test.
   *
   * @param config the settings
   * @return the store
   */
  protected ManagedSessionStore openMigrated(SessionStoreConfig config) {
    ManagedSessionStore opened = open(config);
    opened.migrate();
    return opened;
  }

  /**
   * Returns the test's migrated store with {@link #config()}, opening it on first use.
   *
   * @return the store
   */
  protected ManagedSessionStore store() {
    if (store == null) {
      store = openMigrated(config());
    }
    return store;
  }

  /**
   * Builds a session with a new id that expires {@link #TTL} from the clock's now.
   *
   * @param data the session's data
   * @return the record
   */
  protected SessionRecord session(Map<String, Object> data) {
    return new SessionRecord(SessionId.generate(), data, clock.instant().plus(TTL));
  }

  /**
   * Builds a session of a user, with a new id, expiring {@link #TTL} from now.
   *
   * @param userId the user
   * @return the record
   */
  protected SessionRecord userSession(String userId) {
    return session(Map.of(SessionRecord.USER_ID_KEY, userId, "role", "member"));
  }

  /**
   * Creates a session in the test's store and loads it back, as a request holds it: with the
   * store's times and revision.
   *
   * @param record the session to create
   * @return the session as loaded
   */
  protected SessionRecord createdAndLoaded(SessionRecord record) {
    return store().load(store().create(record).id()).orElseThrow();
  }

  /**
   * Saves a user's session in the test's store.
   *
   * @param userId the user
   * @return the saved record
   */
  protected SessionRecord saveUserSession(String userId) {
    SessionRecord record = userSession(userId);
    store().save(record);
    return record;
  }

  /**
   * Saves a user's session that expires {@code lifetime} from now.
   *
   * @param userId the user, or {@code null} for none
   * @param lifetime how long from now it lives
   * @return the saved record
   */
  protected SessionRecord saveExpiring(String userId, Duration lifetime) {
    Map<String, Object> data = new HashMap<>();
    data.put("kind", "short-lived");
    if (userId != null) {
      data.put(SessionRecord.USER_ID_KEY, userId);
    }
    SessionRecord record =
        new SessionRecord(SessionId.generate(), data, clock.instant().plus(lifetime));
    store().save(record);
    return record;
  }

  /**
   * Checks the migration history: at least one versioned migration, every version applied
   * successfully exactly once, no failed row.
   */
  protected void assertThatEveryVersionWasAppliedOnce() {
    List<String> versions =
        database.queryStrings(
            "SELECT version FROM "
                + HISTORY_TABLE
                + " WHERE version IS NOT NULL AND type NOT IN ('BASELINE', 'SCHEMA') ORDER BY installed_rank");
    assertThat(versions).as("versioned migrations applied").isNotEmpty().doesNotHaveDuplicates();
    assertThat(database.queryLong("SELECT count(*) FROM " + HISTORY_TABLE + " WHERE NOT success"))
        .as("failed migrations")
        .isZero();
  }

  /**
   * The session's row key in this test's store.
   *
   * @param record the session
   * @return its ref
   */
  protected SessionRef ref(SessionRecord record) {
    return store().refOf(record.id());
  }

  /**
   * The row key of an id in this test's store.
   *
   * @param id the session id
   * @return its ref
   */
  protected SessionRef ref(SessionId id) {
    return store().refOf(id);
  }
}

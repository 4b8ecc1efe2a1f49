package app.getbodhi.session.tck;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;

/**
 * The contract every {@link ManagedSessionStore} backend honours, as a JUnit 5 test kit (in the
 * style of Micrometer's TCK): extend it in a backend's tests, say how to make a fresh database and
 * how to open the backend's store on it, and every test below runs against that backend.
 *
 * <pre>{@code
 * class SqliteSessionStoreContractTest extends SessionStoreContract {
 *   SqliteSessionStoreContractTest() {
 *     super(SqliteFixture::tempFile, SqliteSessionStore::open, SqliteSessionStore::new);
 *   }
 * }
 * }</pre>
 *
 * <p>A backend that needs more than a factory call overrides {@link #newDatabase()} and the two
 * {@code newStore} methods instead, and calls the no-argument constructor.
 *
 * <p>Each test gets a fresh, empty {@link TestDatabase} and a {@link MutableClock}; time moves only
 * when a test advances the clock. Stores opened through {@link #open(SessionStoreConfig)} are
 * closed, and the database removed, after each test. Raw SQL checks (the {@code user_id} column,
 * the indexes, the migration history) go through {@link TestDatabase}, bypassing the store.
 *
 * <p>The kit asks more than {@link ManagedSessionStore}'s defaults give: {@code saveAll} must be
 * all or nothing, which its default (one {@code save} at a time) is not.
 *
 * <p>Each group of tests below is written in a file of its own beside this class ({@code
 * MigrationGroup}, {@code SavingGroup}, ...) and nested here, so that it runs for every backend.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SessionStoreContract extends StoreContractKit {

  /**
   * For a backend that overrides {@link #newDatabase()} and both {@code newStore} methods itself.
   */
  protected SessionStoreContract() {}

  /**
   * For a backend whose database and stores each come from one factory call, the usual case.
   *
   * @param databases makes a fresh, empty database, as {@link #newDatabase()} does
   * @param storesByUrl opens the store on a URL, as {@link #newStore(String, SessionStoreConfig)}
   * @param storesOnPool opens the store on a caller's data source, as {@link #newStore(DataSource,
   *     SessionStoreConfig)}
   */
  protected SessionStoreContract(
      Supplier<TestDatabase> databases,
      BiFunction<String, SessionStoreConfig, ManagedSessionStore> storesByUrl,
      BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> storesOnPool) {
    super(databases, storesByUrl, storesOnPool);
  }

  @Nested
  @DisplayName("migration")
  class Migration extends MigrationGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("the backend")
  class Backend extends BackendGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("saving")
  class Saving extends SavingGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("saving many at once")
  class SavingMany extends SavingManyGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("loading")
  class Loading extends LoadingGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("deleting")
  class Deleting extends DeletingGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("creating")
  class Creating extends CreatingGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("a user's sessions")
  class PerUser extends PerUserGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("clearing all sessions")
  class ClearingAll extends ClearingAllGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("expiry")
  class Expiry extends ExpiryGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("session data")
  class Data extends DataGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("listing all sessions")
  class Listing extends ListingGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("lifecycle")
  class Lifecycle extends LifecycleGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("conditional writes")
  class ConditionalWrites extends ConditionalWritesGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("rotation")
  class Rotation extends RotationGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("concurrency")
  class Concurrency extends ConcurrencyGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }

  @Nested
  @DisplayName("errors")
  class Errors extends ErrorsGroup {
    @Override
    StoreContractKit kit() {
      return SessionStoreContract.this;
    }
  }
}

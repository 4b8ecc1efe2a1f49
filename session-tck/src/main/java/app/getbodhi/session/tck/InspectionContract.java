package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Inspections.assertUnreachable;
import static app.getbodhi.session.tck.Inspections.assertUnreadable;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import app.getbodhi.session.spi.StoreInspection.SessionCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of a database server backend's read-only look, {@link SessionStoreProvider#inspect},
 * against a fresh database of the backend's test server: what it reports of a database it reached,
 * that it creates nothing, and that a database or server it cannot use is a problem that says what
 * to do, never an exception, and never shows the password.
 *
 * <pre>{@code
 * class MariaDbInspectionTest extends InspectionContract<MariaDbDatabase> {
 *   MariaDbInspectionTest() {
 *     super(new MariaDbSessionStoreProvider(), "MariaDB", ServerInspector.CONNECT_TIMEOUT,
 *         MariaDbFixture::freshDatabase);
 *   }
 *   ...
 * }
 * }</pre>
 *
 * @param <D> the backend's test database
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class InspectionContract<D extends TestDatabase> {

  /** The password {@link #urlWithPassword} is given; no inspection may show it. */
  protected static final String PASSWORD = "s3cret-inspected";

  /** How much longer than the connect timeout a look at an unreachable server may take. */
  static final Duration UNREACHABLE_SLACK = Duration.ofSeconds(5);

  /** The backend's provider, as the test created it. */
  protected final SessionStoreProvider provider;

  /** The current test's database: fresh and empty before it, dropped after it. */
  protected D database;

  private final String databaseName;
  private final Duration connectTimeout;
  private final Supplier<D> databases;

  /**
   * For a backend's inspection test.
   *
   * @param provider the backend's provider
   * @param databaseName the database's name in problems, such as {@code PostgreSQL}
   * @param connectTimeout how long the look may try to connect
   * @param databases makes a fresh, empty database on the test server
   */
  protected InspectionContract(
      SessionStoreProvider provider,
      String databaseName,
      Duration connectTimeout,
      Supplier<D> databases) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.databaseName = Objects.requireNonNull(databaseName, "databaseName");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.databases = Objects.requireNonNull(databases, "databases");
  }

  /**
   * A URL of the test's database whose login has a password, where the fixture can make one.
   *
   * @param password the login's password
   * @return such a URL, or the database's own URL where the fixture cannot make a login
   */
  protected abstract String urlWithPassword(String password);

  /**
   * A URL of the same server and login as {@code url}, naming a database that does not exist.
   *
   * @param url a URL of the test's database
   * @return the URL of a missing database
   */
  protected abstract String urlOfAMissingDatabase(String url);

  /**
   * The server an inspection of the test's database names, as {@link StoreInspection#server()}
   * shows it.
   *
   * @param url the URL inspected
   * @return such as {@code localhost:5432 (primary)}
   */
  protected abstract String expectedServer(String url);

  @BeforeEach
  void createDatabase() {
    database = databases.get();
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  private static SessionRecord session(String user, Instant expiry) {
    return new SessionRecord(SessionId.generate(), Map.of(SessionRecord.USER_ID_KEY, user), expiry);
  }

  @Nested
  class AReachableDatabase {

    @Test
    void that_was_migrated_shows_its_version_the_live_and_expired_sessions_and_the_server() {
      String url = urlWithPassword(PASSWORD);
      Instant now = Instant.now();
      try (ManagedSessionStore store = provider.open(url, SessionStoreConfig.defaults())) {
        store.migrate();
        store.save(session("alice", now.plus(Duration.ofDays(1))));
        store.save(session("bob", now.plus(Duration.ofDays(1))));
        store.save(session("bob", now.minus(Duration.ofMinutes(1))));
      }

      StoreInspection inspection = provider.inspect(url);

      assertThat(inspection.backend()).isEqualTo(provider.name());
      assertThat(inspection.database()).isEqualTo(Database.FOUND);
      assertThat(inspection.problems()).isEmpty();
      assertThat(inspection.schemaVersion()).hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
      assertThat(inspection.sessions()).contains(new SessionCounts(2, 1, 2));
      assertThat(inspection.server()).contains(expectedServer(url));
      assertThat(inspection.url()).isEqualTo(DatabaseUrls.redact(url)).doesNotContain(PASSWORD);
    }

    @Test
    void that_is_empty_is_found_not_migrated_and_left_empty() {
      StoreInspection inspection = provider.inspect(database.url());

      assertThat(inspection.database()).isEqualTo(Database.FOUND);
      assertThat(inspection.migrated()).isFalse();
      assertThat(inspection.sessions()).isEmpty();
      assertThat(inspection.problems()).isEmpty();
      assertThat(database.tableNames()).isEmpty();
    }
  }

  @Nested
  class AProblem {

    @Test
    void is_a_database_that_does_not_exist_and_names_the_fix() {
      String missing = urlOfAMissingDatabase(urlWithPassword(PASSWORD));

      assertUnreadable(provider.inspect(missing))
          .startsWith("The database of the " + databaseName + " session database")
          .contains("does not exist", "CREATE DATABASE")
          .doesNotContain(PASSWORD);
    }

    @Test
    void is_an_unreachable_server_reported_within_the_connect_timeout() {
      String scheme = provider.urlPrefixes().get(0).replace("://", "");

      assertUnreachable(provider, scheme, connectTimeout.plus(UNREACHABLE_SLACK))
          .startsWith("Could not connect to the " + databaseName + " session database");
    }

    @Test
    void is_a_malformed_url_which_is_never_an_exception() {
      String url = provider.urlPrefixes().get(0) + "u:" + PASSWORD + "@h:abc/db";

      assertUnreadable(provider.inspect(url))
          .contains(databaseName + " session URL")
          .doesNotContain(PASSWORD);
    }
  }
}

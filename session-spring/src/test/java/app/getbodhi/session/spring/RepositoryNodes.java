package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.CountingDataSource;
import app.getbodhi.session.tck.MutableClock;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;

/**
 * Two repositories on one real database, for the repository contracts. A subclass names the
 * backend.
 *
 * <p>Two "nodes" share the database: {@link #repository} runs on a counted data source, so a test
 * can say how many statements (and which) a call cost; {@link #otherNode} is a second store and
 * repository on the same database, the other server of a cluster. Both read one {@link
 * MutableClock}, so expiry is tested by moving time, never by sleeping. The database is migrated
 * once per class; each test starts on an empty session table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RepositoryNodes {

  /** Whole seconds: PostgreSQL keeps microseconds and SQLite milliseconds, both keep these. */
  static final Instant T0 = Instant.parse("2030-01-01T09:00:00Z");

  /** The layer's default timeout in these tests: Spring Boot's default session timeout. */
  static final Duration TIMEOUT = Duration.ofMinutes(30);

  TestDatabase database;
  MutableClock clock;
  CountingDataSource counted;
  ManagedSessionStore store;
  ManagedSessionStore otherStore;
  BodhiSessionRepository repository;
  BodhiSessionRepository otherNode;
  BodhiSessionRegistry registry;

  /**
   * Names the backend.
   *
   * @return the backend the nodes run on
   */
  abstract TestBackend backend();

  @BeforeAll
  void openDatabase() {
    database = backend().newDatabase();
    try (ManagedSessionStore migrating = backend().newStore(database.dataSource(), config())) {
      migrating.migrate();
    }
  }

  @AfterAll
  void closeDatabase() {
    database.close();
  }

  @BeforeEach
  void openNodes() {
    database.execute("DELETE FROM bodhi_sessions");
    clock = MutableClock.at(T0);
    counted = new CountingDataSource(database.dataSource());
    store = backend().newStore(counted, config());
    otherStore = backend().newStore(database.dataSource(), config());
    repository = repositoryOn(store);
    otherNode = repositoryOn(otherStore);
    registry = new BodhiSessionRegistry(repository);
  }

  @AfterEach
  void closeNodes() {
    store.close();
    otherStore.close();
  }

  private SessionStoreConfig config() {
    // the store judges expiry by this clock, the layer stamps it: both must read the same one
    return SessionStoreConfig.defaults().withClock(clock == null ? MutableClock.at(T0) : clock);
  }

  BodhiSessionRepository repositoryOn(ManagedSessionStore node) {
    return repositoryOn(node, JacksonAttributeCodec.withSecurityModules());
  }

  BodhiSessionRepository repositoryOn(ManagedSessionStore node, SessionAttributeCodec codec) {
    SessionManagerLayer layer =
        SessionManagerLayer.builder(node).clock(clock).expiry(TIMEOUT).build();
    return new BodhiSessionRepository(node, layer, codec);
  }

  /** The slack a session with this timeout is stored with: the layer's access granularity. */
  Duration slack(Duration timeout) {
    return SessionManagerLayer.builder(store).expiry(TIMEOUT).build().granularityFor(timeout);
  }

  /** A saved session holding {@code attributes}, created at the clock's time. */
  String saved(Map<String, Object> attributes) {
    BodhiSession session = repository.createSession();
    attributes.forEach(session::setAttribute);
    repository.save(session);
    return session.getId();
  }

  static SecurityContext loggedIn(String name) {
    User user = (User) User.withUsername(name).password("{noop}pw").roles("USER").build();
    // as Spring Security's ProviderManager leaves it after a login
    user.eraseCredentials();
    return new SecurityContextImpl(
        UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
  }

  /** A value of a type neither JSON nor allowed by Spring Security's Jackson modules. */
  record Basket(String item, int count) {}
}

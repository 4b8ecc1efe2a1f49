package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;

/**
 * Two stores on one real database, for the servlet and the reactive repository contracts. A
 * subclass names the backend and builds its repositories on the two stores.
 *
 * <p>Two "nodes" share the database: {@link #store} runs on a counted data source, so a test can
 * say how many statements (and which) a call cost; {@link #otherStore} is a second store on the
 * same database, the other server of a cluster. Both read one {@link MutableClock}, so expiry is
 * tested by moving time, never by sleeping. The database is migrated once per class; each test
 * starts on an empty session table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SessionNodes {

  /** Whole seconds: PostgreSQL keeps microseconds and SQLite milliseconds, both keep these. */
  protected static final Instant T0 = Instant.parse("2030-01-01T09:00:00Z");

  /** The layer's default timeout in these tests: Spring Boot's default session timeout. */
  protected static final Duration TIMEOUT = Duration.ofMinutes(30);

  protected TestDatabase database;
  protected MutableClock clock;
  protected CountingDataSource counted;
  protected ManagedSessionStore store;
  protected ManagedSessionStore otherStore;

  /**
   * Names the backend.
   *
   * @return the backend the nodes run on
   */
  protected abstract TestBackend backend();

  /**
   * Saves a new session through the counted node's repository.
   *
   * @param attributes what the session holds
   * @return its id; the session was created at the clock's time
   */
  protected abstract String saved(Map<String, Object> attributes);

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
  void openStores() {
    database.execute("DELETE FROM bodhi_sessions");
    clock = MutableClock.at(T0);
    counted = new CountingDataSource(database.dataSource());
    store = backend().newStore(counted, config());
    otherStore = backend().newStore(database.dataSource(), config());
  }

  @AfterEach
  void closeStores() {
    store.close();
    otherStore.close();
  }

  private SessionStoreConfig config() {
    // the store judges expiry by this clock, the layer stamps it: both must read the same one
    return SessionStoreConfig.defaults().withClock(clock == null ? MutableClock.at(T0) : clock);
  }

  /** A servlet repository on {@code node}, on the test's clock, with Spring Security's types. */
  protected BodhiSessionRepository repositoryOn(ManagedSessionStore node) {
    return repositoryOn(node, JacksonAttributeCodec.withSecurityModules());
  }

  /** A servlet repository on {@code node}, on the test's clock, with {@code codec}. */
  protected BodhiSessionRepository repositoryOn(
      ManagedSessionStore node, SessionAttributeCodec codec) {
    SessionManagerLayer layer =
        SessionManagerLayer.builder(node).clock(clock).expiry(TIMEOUT).build();
    return new BodhiSessionRepository(node, layer, codec);
  }

  /** The ref that lists the session {@code id} in place of its id. */
  protected String refOf(String id) {
    return store.refOf(SessionId.parse(id).orElseThrow()).value();
  }

  /** A security context as Spring Security's {@code ProviderManager} leaves it after a login. */
  protected static SecurityContext loggedIn(String name) {
    User user = (User) User.withUsername(name).password("{noop}pw").roles("USER").build();
    user.eraseCredentials();
    return new SecurityContextImpl(
        UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
  }

  /** The ids of two sessions of one user, logged in a minute apart. */
  protected record TwoLogins(String older, String newer) {}

  /**
   * Saves two sessions of {@code user}, the newer one a minute after the older (the clock moves).
   */
  protected TwoLogins loggedInTwice(String user) {
    String older = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn(user)));
    clock.advance(Duration.ofMinutes(1));
    String newer = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn(user)));
    return new TwoLogins(older, newer);
  }

  @Test
  protected void the_contract_really_runs_on_its_backend() {
    assertThat(store.backendName()).isEqualTo(backend().backendName());
    assertThat(otherStore.backendName()).isEqualTo(backend().backendName());
  }
}

package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.servlet.SessionManagerFilter;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.Concurrently;
import app.getbodhi.session.tck.MutableClock;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.tests.servlet.TestServlets.BlockingServlet;
import app.getbodhi.session.tests.servlet.TestServlets.Gate;
import app.getbodhi.session.tests.servlet.TestServlets.LargeBodyServlet;
import app.getbodhi.session.tests.servlet.TestServlets.PlainServlet;
import app.getbodhi.session.tests.servlet.TestServlets.ScriptServlet;
import app.getbodhi.session.web.SessionManagerLayer;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link SessionManagerFilter} does for a servlet application, over real HTTP: an embedded
 * Jetty 12 (ee10) server on loopback runs a few test servlets behind the filter, and {@link
 * HttpClient} drives it, sending every {@code Cookie} header itself (the client keeps no cookies).
 * Every request also counts the SQL statements the session store ran for it, through a {@link
 * CountingDataSource} around the store's real data source, so the tests can say what a request
 * costs: nothing when it never touches the session, one {@code SELECT} when it only reads, one
 * {@code SELECT} and one {@code UPDATE} when it changes an existing session, one {@code INSERT} for
 * a new one.
 *
 * <p>A JUnit 5 test kit like {@link app.getbodhi.session.tck.SessionStoreContract}: extend it for a
 * backend, say how to make a fresh database, a pooled data source on it and a store on that data
 * source, and how to make the database refuse updates.
 *
 * <pre>{@code
 * class SqliteSessionFilterTest extends SessionFilterContract {
 *   protected TestDatabase newDatabase() { return SqliteFixture.tempFile(); }
 *   protected DataSource newDataSource(TestDatabase db) { return hikariWithWal(db); }
 *   protected ManagedSessionStore newStore(DataSource ds, SessionStoreConfig config) {
 *     return new SqliteSessionStore(ds, config);
 *   }
 *   protected AutoCloseable refuseUpdates(TestDatabase db) {
 *     db.execute("CREATE TRIGGER refuse BEFORE UPDATE ON bodhi_sessions ...");
 *     return () -> db.execute("DROP TRIGGER refuse");
 *   }
 * }
 * }</pre>
 *
 * <p>Each test class gets a fresh database, migrated once, with the layer's store on a counted data
 * source and "another node": a second store on the same database, through the database's own pool,
 * which is not counted and which the tests use to look at, or change, what is stored. Each test
 * starts on an empty session table, with the {@link MutableClock} shared by the layer and every
 * store set back to {@link #START} (time moves only when a test advances it), and with its own
 * Jetty server, stopped after the test; the database is removed after the class. No test sleeps:
 * waits are latches and futures with timeouts.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SessionFilterContract {

  /**
   * Where the clock starts: long past, so that a component reading the system clock instead of the
   * layer's sees every session as expired and fails the tests.
   */
  protected static final Instant START = Instant.parse("2000-01-01T00:00:00Z");

  /** The cookie name of the default layer. */
  protected static final String COOKIE = SessionManagerLayer.DEFAULT_COOKIE_NAME;

  /** How long a stored session lives after a write, with the default layer. */
  protected static final Duration EXPIRY = SessionManagerLayer.DEFAULT_EXPIRY;

  /** The longest any single wait in these tests may take before the test fails. */
  protected static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** The path of the servlet that never touches the session. */
  protected static final String PLAIN = "/plain";

  private static final String SCRIPT = "/session";
  private static final String LARGE = "/large";
  private static final String BLOCK = "/block";

  /** One client for all tests; it has no cookie handler, so the tests send every cookie. */
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(TIMEOUT)
          .build();

  /** The clock of the layer and of every store in the current test. */
  protected MutableClock clock;

  /** The test class's database, migrated; each test starts with its session table empty. */
  protected TestDatabase database;

  /** The data source under the layer's store; it records every statement the store runs. */
  protected CountingDataSource counted;

  /** The store behind the default layer, on {@link #counted}. */
  protected ManagedSessionStore store;

  /**
   * Another store on the same database, with its own (uncounted) connections: another application
   * node, or the CLI. Tests read and change stored sessions through it.
   */
  protected ManagedSessionStore otherNode;

  /** The default layer: {@link #store}, the test's clock and every cookie default. */
  protected SessionManagerLayer layer;

  private final Deque<AutoCloseable> classResources = new ArrayDeque<>();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private FilterServer server;
  private volatile Gate gate = new Gate(1);

  /**
   * Makes a fresh, empty database for one test class; the kit closes it after the class.
   *
   * @return such as {@code SqliteFixture.tempFile()} or {@code
   *     PostgresFixture.shared().freshSchema()}
   */
  protected abstract TestDatabase newDatabase();

  /**
   * Opens a pooled data source on the test's database, as an application would configure it (for
   * SQLite: WAL and a busy timeout). It must be {@link AutoCloseable}: the kit closes it after the
   * test, and the store-failure tests close one early to make a store that cannot reach its
   * database.
   *
   * @param database the test's database
   * @return the data source
   */
  protected abstract DataSource newDataSource(TestDatabase database);

  /**
   * Builds the backend's store on a data source the caller owns, without migrating.
   *
   * @param dataSource the data source
   * @param config the settings; its clock is the test's {@link #clock}
   * @return the store
   */
  protected abstract ManagedSessionStore newStore(DataSource dataSource, SessionStoreConfig config);

  /**
   * Makes the database refuse every {@code UPDATE} of the session table (a trigger that raises an
   * error), while reads, inserts and deletes keep working.
   *
   * @param database the test's database, migrated
   * @return what undoes it (drops the trigger); the kit runs it after the test
   */
  protected abstract AutoCloseable refuseUpdates(TestDatabase database);

  @BeforeAll
  void openDatabase() {
    clock = MutableClock.at(START);
    database = newDatabase();
    classResources.push(database);
    otherNode = newStore(database.dataSource(), config());
    classResources.push(otherNode::close);
    otherNode.migrate();
    DataSource pool = newDataSource(database);
    classResources.push(closer(pool));
    counted = new CountingDataSource(pool);
    store = newStore(counted, config());
    classResources.push(store::close);
    layer = SessionManagerLayer.builder(store).clock(clock).build();
  }

  @AfterAll
  void closeDatabase() throws Exception {
    closeAll(classResources);
  }

  @BeforeEach
  void startServerOnAnEmptyTable() {
    clock.set(START);
    database.execute("DELETE FROM bodhi_sessions");
    gate = new Gate(1);
    serve(layer);
  }

  @AfterEach
  void stopServer() throws Exception {
    // release anything still blocked, so that stopping the server does not wait for it
    gate.release.countDown();
    closeAll(resources);
  }

  private static void closeAll(Deque<AutoCloseable> toClose) throws Exception {
    Exception failure = null;
    while (!toClose.isEmpty()) {
      try {
        toClose.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static AutoCloseable closer(DataSource dataSource) {
    if (!(dataSource instanceof AutoCloseable closeable)) {
      throw new IllegalStateException(
          "newDataSource must return an AutoCloseable data source, such as a HikariDataSource");
    }
    return closeable;
  }

  /**
   * Returns the store settings the tests use: the defaults with the test's clock.
   *
   * @return the settings
   */
  protected SessionStoreConfig config() {
    return SessionStoreConfig.defaults().withClock(clock);
  }

  /**
   * Starts a server with the test servlets behind a filter for a layer; later requests go to it. It
   * is stopped after the test.
   *
   * @param serverLayer the layer the filter applies
   * @return the server
   */
  protected FilterServer serve(SessionManagerLayer serverLayer) {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put(PLAIN, new PlainServlet());
    servlets.put(SCRIPT, new ScriptServlet());
    servlets.put(LARGE, new LargeBodyServlet());
    servlets.put(BLOCK, new BlockingServlet(() -> gate));
    FilterServer started = FilterServer.start(new SessionManagerFilter(serverLayer), servlets);
    resources.push(started);
    server = started;
    return started;
  }

  // ---------------------------------------------------------------------------------------------
  // requests

  /**
   * Builds the target that runs commands on the script servlet (see the script servlet in {@code
   * TestServlets}).
   *
   * @param commands such as {@code peek}, {@code set:k:v}, {@code get:k}
   * @return the path and query
   */
  protected static String script(String... commands) {
    return SCRIPT
        + Stream.of(commands)
            .map(command -> "do=" + URLEncoder.encode(command, StandardCharsets.UTF_8))
            .collect(Collectors.joining("&", "?", ""));
  }

  /**
   * Builds a {@code Cookie} header value that sends a session id under the default name.
   *
   * @param id the id, or any text a client might send
   * @return {@code bodhiapp_session_id=ID}
   */
  protected static String cookie(String id) {
    return COOKIE + "=" + id;
  }

  /**
   * Sends a GET without cookies and records what it cost.
   *
   * @param target the path and query
   * @return the exchange
   */
  protected Exchange request(String target) {
    return request(target, null);
  }

  /**
   * Sends a GET with a {@code Cookie} header and records what it cost: the statement log is reset
   * just before sending and read once the whole response has arrived.
   *
   * @param target the path and query
   * @param cookieHeader the {@code Cookie} header's value, or {@code null} for none
   * @return the exchange
   */
  protected Exchange request(String target, String cookieHeader) {
    counted.reset();
    try {
      HttpResponse<String> response =
          CLIENT.send(
              httpRequest(target, cookieHeader),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Exchange(
          response.statusCode(), response.headers(), response.body(), counted.statements());
    } catch (IOException e) {
      throw new IllegalStateException("Request to " + target + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while requesting " + target, e);
    }
  }

  /**
   * Sends a request with a session cookie.
   *
   * @param id the session id to send
   * @param commands script commands
   * @return the exchange
   */
  protected Exchange as(String id, String... commands) {
    return request(script(commands), cookie(id));
  }

  private HttpRequest httpRequest(String target, String cookieHeader) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri(target)).timeout(TIMEOUT).GET();
    if (cookieHeader != null) {
      builder.header("Cookie", cookieHeader);
    }
    return builder.build();
  }

  /**
   * Starts a request without waiting for it; the statement log is not reset.
   *
   * @param target the path and query
   * @param cookieHeader the {@code Cookie} header's value, or {@code null}
   * @return the response to come
   */
  protected CompletableFuture<HttpResponse<String>> requestAsync(
      String target, String cookieHeader) {
    return CLIENT.sendAsync(
        httpRequest(target, cookieHeader),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static <T> T await(CompletableFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("timed out waiting until " + what);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // assertions and fixtures

  /**
   * Asserts that a response carries exactly one {@code Set-Cookie} header and returns it.
   *
   * @param exchange the exchange
   * @return the cookie
   */
  protected static SetCookie onlyCookie(Exchange exchange) {
    List<SetCookie> cookies = exchange.setCookies();
    assertThat(cookies).as("Set-Cookie headers of %s", exchange).hasSize(1);
    return cookies.get(0);
  }

  /**
   * Asserts that a response carries no {@code Set-Cookie} header.
   *
   * @param exchange the exchange
   */
  protected static void assertNoCookie(Exchange exchange) {
    assertThat(exchange.headers().allValues("Set-Cookie"))
        .as("Set-Cookie headers of %s", exchange)
        .isEmpty();
  }

  /**
   * Asserts that a request cost exactly these statements, on the session table.
   *
   * @param exchange the exchange
   * @param verbs the expected first keywords, in order, such as {@code SELECT}, {@code UPDATE}
   */
  protected static void assertStatements(Exchange exchange, String... verbs) {
    assertThat(exchange.verbs()).as("statements of %s", exchange).containsExactly(verbs);
    assertThat(exchange.statements())
        .as("statements of %s", exchange)
        .allSatisfy(sql -> assertThat(sql).containsIgnoringCase("bodhi_sessions"));
  }

  /**
   * Asserts that a request succeeded.
   *
   * @param exchange the exchange
   * @return the exchange
   */
  protected static Exchange ok(Exchange exchange) {
    assertThat(exchange.status()).as("status of %s", exchange).isEqualTo(200);
    return exchange;
  }

  /**
   * Creates a session over HTTP, the way an application does, and returns its id.
   *
   * @param commands script commands that create it, such as {@code set:k:v}
   * @return the id from the response's cookie
   */
  protected String newSession(String... commands) {
    Exchange created = ok(request(script(commands)));
    SetCookie cookie = onlyCookie(created);
    assertThat(cookie.name()).isEqualTo(COOKIE);
    assertThat(SessionId.parse(cookie.value())).as("the new session id").isPresent();
    return cookie.value();
  }

  /**
   * Reads a session through the other node.
   *
   * @param id the id
   * @return the live session, or empty
   */
  protected Optional<SessionRecord> stored(String id) {
    return SessionId.parse(id).flatMap(otherNode::load);
  }

  /**
   * Reads a live session's data through the other node.
   *
   * @param id the id
   * @return its data
   */
  protected Map<String, Object> storedData(String id) {
    return stored(id).map(SessionRecord::data).orElseThrow(() -> new AssertionError("no session"));
  }

  /**
   * Counts the rows with an id, expired or not, bypassing every store.
   *
   * @param id the id
   * @return 0 or 1
   */
  protected long rows(String id) {
    return database.queryLong("SELECT count(*) FROM bodhi_sessions WHERE id = ?", id);
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("the cookie")
  class CookieAttributes {

    @Test
    void a_new_session_sets_one_cookie_with_path_httponly_and_samesite_strict_and_nothing_else() {
      Exchange created = ok(request(script("set:k:v", "peek")));

      SetCookie cookie = onlyCookie(created);
      assertThat(cookie.name()).isEqualTo("bodhiapp_session_id");
      assertThat(cookie.value()).isEqualTo(created.line("session"));
      assertThat(SessionId.parse(cookie.value())).isPresent();
      assertThat(cookie.attributes())
          .as("attributes of %s", cookie.header())
          .containsOnlyKeys("path", "httponly", "samesite")
          .containsEntry("path", "/")
          .containsEntry("httponly", "")
          .containsEntry("samesite", "Strict");
    }

    @Test
    void by_default_the_cookie_is_neither_secure_nor_persistent() {
      SetCookie cookie = onlyCookie(ok(request(script("set:k:v"))));

      assertThat(cookie.has("Secure")).isFalse();
      assertThat(cookie.has("Max-Age")).isFalse();
      assertThat(cookie.has("Expires")).isFalse();
      assertThat(cookie.has("Domain")).isFalse();
    }

    @Test
    void the_cookie_is_secure_when_the_layer_says_so() {
      serve(layer.toBuilder().secure(true).build());

      SetCookie cookie = onlyCookie(ok(request(script("set:k:v"))));

      assertThat(cookie.has("Secure")).as(cookie.header()).isTrue();
      assertThat(cookie.attributes())
          .containsOnlyKeys("path", "httponly", "samesite", "secure")
          .containsEntry("samesite", "Strict");
    }

    @Test
    void the_cookie_carries_max_age_when_the_layer_sets_an_inactivity_timeout() {
      serve(layer.toBuilder().maxAge(Duration.ofMinutes(30)).build());

      SetCookie cookie = onlyCookie(ok(request(script("set:k:v"))));

      assertThat(cookie.attribute("Max-Age")).as(cookie.header()).contains("1800");
      assertThat(cookie.has("Secure")).isFalse();
    }

    @Test
    void name_path_domain_samesite_and_httponly_follow_the_layer() {
      serve(
          layer.toBuilder()
              .cookieName("sid")
              .path("/app")
              .domain("example.test")
              .sameSite(SessionManagerLayer.SameSite.LAX)
              .httpOnly(false)
              .build());

      SetCookie cookie = onlyCookie(ok(request(script("set:k:v"))));

      assertThat(cookie.name()).isEqualTo("sid");
      assertThat(cookie.attributes())
          .as(cookie.header())
          .containsOnlyKeys("path", "domain", "samesite")
          .containsEntry("path", "/app")
          .containsEntry("domain", "example.test")
          .containsEntry("samesite", "Lax");
      // the filter reads the session back under the configured name only
      assertThat(ok(request(script("get:k"), "sid=" + cookie.value())).line("k")).isEqualTo("v");
      assertThat(ok(request(script("peek"), cookie(cookie.value()))).line("session"))
          .isEqualTo("none");
    }

    @Test
    void other_cookies_beside_the_session_cookie_are_left_alone() {
      String id = newSession("set:k:v");

      Exchange read = ok(request(script("get:k"), "theme=dark; " + cookie(id) + "; lang=en"));

      assertThat(read.line("k")).isEqualTo("v");
      assertStatements(read, "SELECT");
      assertNoCookie(read);
    }

    @Test
    void a_samesite_none_cookie_is_always_secure() {
      serve(layer.toBuilder().sameSite(SessionManagerLayer.SameSite.NONE).build());

      SetCookie cookie = onlyCookie(ok(request(script("set:k:v"))));

      assertThat(cookie.attribute("SameSite")).contains("None");
      assertThat(cookie.has("Secure")).as(cookie.header()).isTrue();
    }
  }

  @Nested
  @DisplayName("laziness")
  class Laziness {

    @Test
    void a_request_that_never_touches_the_session_costs_no_statement_and_sends_no_cookie() {
      Exchange plain = ok(request(PLAIN));

      assertThat(plain.line("plain")).isEqualTo("ok");
      assertStatements(plain);
      assertNoCookie(plain);
    }

    @Test
    void a_session_cookie_on_a_request_that_never_touches_the_session_costs_nothing_either() {
      String id = newSession("set:k:v");

      Exchange plain = ok(request(PLAIN, cookie(id)));

      assertStatements(plain);
      assertNoCookie(plain);
    }

    @Test
    void asking_for_an_existing_session_without_a_cookie_costs_no_statement() {
      Exchange peek = ok(request(script("peek", "get:k")));

      assertThat(peek.line("session")).isEqualTo("none");
      assertThat(peek.line("k")).isEqualTo("<no session>");
      assertStatements(peek);
      assertNoCookie(peek);
    }

    @Test
    void a_malformed_cookie_is_never_looked_up() {
      Exchange peek = ok(request(script("peek"), cookie("not-a-session-id")));

      assertThat(peek.line("session")).isEqualTo("none");
      assertStatements(peek);
      assertNoCookie(peek);
    }
  }

  @Nested
  @DisplayName("reading")
  class Reading {

    @Test
    void a_read_only_request_costs_exactly_one_select_and_sends_no_cookie() {
      String id = newSession("set:k:v");
      Instant expiry = stored(id).orElseThrow().expiryDate();

      Exchange read = ok(as(id, "get:k"));

      assertThat(read.line("k")).isEqualTo("v");
      assertStatements(read, "SELECT");
      assertNoCookie(read);
      assertThat(stored(id).orElseThrow().expiryDate()).isEqualTo(expiry);
    }

    @Test
    void reading_several_attributes_and_the_id_still_costs_one_select() {
      String id = newSession("set:a:1", "set:b:2");

      Exchange read = ok(as(id, "peek", "get:a", "get:b", "keys"));

      assertThat(read.lines())
          .containsEntry("session", id)
          .containsEntry("new", "false")
          .containsEntry("a", "1")
          .containsEntry("b", "2")
          .containsEntry("keys", "[a, b]");
      assertStatements(read, "SELECT");
      assertNoCookie(read);
    }

    @Test
    void setting_an_attribute_to_the_value_it_already_has_is_not_a_change() {
      String id = newSession("set:k:v");

      Exchange same = ok(as(id, "set:k:v"));

      assertStatements(same, "SELECT");
      assertNoCookie(same);
    }

    @Test
    void until_half_of_the_expiry_window_has_passed_a_read_does_not_extend_the_expiry() {
      String id = newSession("set:k:v");
      Instant expiry = stored(id).orElseThrow().expiryDate();

      clock.advance(EXPIRY.dividedBy(2).minusMinutes(1));
      Exchange early = ok(as(id, "get:k"));
      clock.set(START.plus(EXPIRY.dividedBy(2)));
      Exchange atHalf = ok(as(id, "get:k"));

      assertThat(early.line("k")).isEqualTo("v");
      assertStatements(early, "SELECT");
      assertStatements(atHalf, "SELECT");
      assertNoCookie(early);
      assertNoCookie(atHalf);
      assertThat(stored(id).orElseThrow().expiryDate()).isEqualTo(expiry);
    }

    @Test
    void once_more_than_half_of_the_window_has_passed_a_read_extends_the_expiry_with_one_update() {
      String id = newSession("set:k:v");

      Instant now = clock.advance(EXPIRY.dividedBy(2).plusMinutes(1));
      Exchange late = ok(as(id, "get:k"));

      assertThat(late.line("k")).isEqualTo("v");
      assertStatements(late, "SELECT", "UPDATE");
      // a browser-session cookie needs no refresh
      assertNoCookie(late);
      SessionRecord extended = stored(id).orElseThrow();
      assertThat(extended.expiryDate()).isEqualTo(now.plus(EXPIRY));
      assertThat(extended.data()).isEqualTo(Map.of("k", "v"));

      // extended: the next read is cheap again
      Exchange next = ok(as(id, "get:k"));
      assertStatements(next, "SELECT");
      assertNoCookie(next);
    }

    @Test
    void with_a_max_age_the_extension_also_refreshes_the_cookie() {
      serve(layer.toBuilder().maxAge(Duration.ofDays(14)).build());
      String id = newSession("set:k:v");

      Exchange early = ok(as(id, "get:k"));
      clock.advance(EXPIRY.dividedBy(2).plusMinutes(1));
      Exchange late = ok(as(id, "get:k"));

      assertStatements(early, "SELECT");
      assertNoCookie(early);
      assertStatements(late, "SELECT", "UPDATE");
      SetCookie refreshed = onlyCookie(late);
      assertThat(refreshed.value()).isEqualTo(id);
      assertThat(refreshed.attribute("Max-Age"))
          .contains(Long.toString(Duration.ofDays(14).toSeconds()));
    }
  }

  @Nested
  @DisplayName("writing")
  class Writing {

    @Test
    void a_new_session_costs_one_insert_and_sends_its_id() {
      Exchange created = ok(request(script("set:k:v", "peek")));

      assertStatements(created, "INSERT");
      String id = onlyCookie(created).value();
      assertThat(created.line("session")).isEqualTo(id);
      assertThat(created.line("new")).isEqualTo("true");
      SessionRecord record = stored(id).orElseThrow();
      assertThat(record.data()).isEqualTo(Map.of("k", "v"));
      assertThat(record.expiryDate()).isEqualTo(START.plus(EXPIRY));
    }

    @Test
    void changing_an_existing_session_costs_one_select_and_one_update_and_sends_no_cookie() {
      String id = newSession("set:k:v");
      Instant now = clock.advance(Duration.ofHours(1));

      Exchange changed = ok(as(id, "set:k:w", "peek"));

      assertStatements(changed, "SELECT", "UPDATE");
      assertNoCookie(changed);
      assertThat(changed.line("session")).isEqualTo(id);
      assertThat(changed.line("new")).isEqualTo("false");
      SessionRecord record = stored(id).orElseThrow();
      assertThat(record.data()).isEqualTo(Map.of("k", "w"));
      assertThat(record.expiryDate()).isEqualTo(now.plus(EXPIRY));
    }

    @Test
    void several_changes_in_one_request_are_written_once_at_the_end() {
      String id = newSession("set:a:1", "set:gone:x");

      Exchange changed = ok(as(id, "set:a:2", "set:b:3", "remove:gone", "set:a:4"));

      assertStatements(changed, "SELECT", "UPDATE");
      assertThat(storedData(id)).isEqualTo(Map.of("a", "4", "b", "3"));
    }

    @Test
    void removing_an_attribute_is_a_change() {
      String id = newSession("set:a:1", "set:b:2");

      Exchange removed = ok(as(id, "remove:b"));

      assertStatements(removed, "SELECT", "UPDATE");
      assertNoCookie(removed);
      assertThat(storedData(id)).isEqualTo(Map.of("a", "1"));
    }

    static Stream<Arguments> largeBodies() {
      return Stream.of(
          Arguments.of("stream", 200_000, 8_192, false),
          Arguments.of("stream", 200_000, 200_000, false),
          Arguments.of("writer", 200_000, 1_024, false),
          Arguments.of("writer", 200_000, 200_000, false),
          Arguments.of("stream", 200_000, 8_192, true));
    }

    @ParameterizedTest(name = "{0}, {1} bytes in calls of {2}, content-length set: {3}")
    @MethodSource("largeBodies")
    void a_body_larger_than_the_response_buffer_written_after_a_change_still_gets_the_cookie(
        String mode, int size, int chunk, boolean length) {
      Exchange large =
          ok(
              request(
                  LARGE
                      + "?key=k&value=v&mode="
                      + mode
                      + "&size="
                      + size
                      + "&chunk="
                      + chunk
                      + "&length="
                      + length));

      assertThat(large.body()).hasSize(size);
      int buffer = Integer.parseInt(large.headers().firstValue("X-Buffer-Size").orElseThrow());
      assertThat(size).as("the body must not fit the response buffer").isGreaterThan(buffer);
      SetCookie cookie = onlyCookie(large);
      assertThat(cookie.name()).isEqualTo(COOKIE);
      assertThat(storedData(cookie.value())).isEqualTo(Map.of("k", "v"));
    }

    @ParameterizedTest(name = "{0} bytes through the output stream in one call")
    @ValueSource(ints = {4_000, 9_000, 20_000, 32_000})
    void a_body_that_fits_the_buffer_written_in_one_call_after_a_change_still_gets_the_cookie(
        int size) {
      Exchange body =
          ok(request(LARGE + "?key=k&value=v&mode=stream&size=" + size + "&chunk=" + size));

      assertThat(body.body()).hasSize(size);
      int buffer = Integer.parseInt(body.headers().firstValue("X-Buffer-Size").orElseThrow());
      assertThat(size).as("the body fits the response buffer").isLessThanOrEqualTo(buffer);
      SetCookie cookie = onlyCookie(body);
      assertThat(storedData(cookie.value())).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void a_redirect_after_login_carries_the_new_cookie_and_the_save() {
      String anonymous = newSession("set:cart:apple");

      Exchange login =
          request(script("set:user_id:alice", "rotate", "redirect:/home"), cookie(anonymous));

      assertThat(login.status()).isEqualTo(302);
      assertThat(login.headers().firstValue("Location"))
          .hasValueSatisfying(location -> assertThat(location).endsWith("/home"));
      String id = onlyCookie(login).value();
      assertThat(id).isNotEqualTo(anonymous);
      assertThat(storedData(id)).isEqualTo(Map.of("cart", "apple", "user_id", "alice"));
      assertThat(rows(anonymous)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"status:404", "error:404", "status:400"})
    void a_4xx_response_still_saves(String command) {
      String id = newSession("set:k:v");

      Exchange notFound = as(id, "set:k:w", command);

      assertThat(notFound.status()).isEqualTo(Integer.parseInt(command.split(":")[1]));
      assertStatements(notFound, "SELECT", "UPDATE");
      assertThat(storedData(id)).isEqualTo(Map.of("k", "w"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"status:500", "error:500", "status:503", "error:503"})
    void a_5xx_response_does_not_save_a_new_session(String command) {
      Exchange failed = request(script("set:k:v", command));

      assertThat(failed.status()).isEqualTo(Integer.parseInt(command.split(":")[1]));
      assertStatements(failed);
      assertNoCookie(failed);
      assertThat(database.sessionRowCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"status:500", "error:500", "status:503", "error:503"})
    void a_5xx_response_does_not_save_changes_to_an_existing_session(String command) {
      String id = newSession("set:k:v");
      SessionRecord before = stored(id).orElseThrow();
      clock.advance(EXPIRY.dividedBy(2).plusMinutes(1));

      Exchange failed = as(id, "set:k:w", "rotate", command);

      assertThat(failed.status()).isEqualTo(Integer.parseInt(command.split(":")[1]));
      assertStatements(failed, "SELECT");
      assertNoCookie(failed);
      assertThat(stored(id)).contains(before);
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void a_servlet_that_throws_saves_nothing() {
      Exchange failedNew = request(script("set:k:v", "throw"));
      String id = newSession("set:k:v");
      SessionRecord before = stored(id).orElseThrow();
      Exchange failedChange = as(id, "set:k:w", "throw");
      Exchange failedInvalidate = as(id, "invalidate", "throw");

      assertThat(failedNew.status()).isEqualTo(500);
      assertStatements(failedNew);
      assertNoCookie(failedNew);
      assertThat(failedChange.status()).isEqualTo(500);
      assertStatements(failedChange, "SELECT");
      assertNoCookie(failedChange);
      assertThat(failedInvalidate.status()).isEqualTo(500);
      assertStatements(failedInvalidate, "SELECT");
      assertNoCookie(failedInvalidate);
      assertThat(stored(id)).contains(before);
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("forged cookies")
  class ForgedCookies {

    static Stream<Arguments> forgeries() {
      String tenThousand = "A".repeat(10_000);
      List<String> fiveIds =
          IntStream.range(0, 5).mapToObj(i -> SessionId.generate().value()).toList();
      return Stream.of(
          Arguments.of("a random well-formed id", List.of(SessionId.generate().value())),
          Arguments.of("garbage", List.of("not-a-session-id")),
          Arguments.of("an empty value", List.of("")),
          Arguments.of("a path", List.of("../../../etc/passwd")),
          Arguments.of("SQL", List.of("x'--")),
          Arguments.of("21 characters", List.of("A".repeat(21))),
          Arguments.of("23 characters", List.of("A".repeat(23))),
          Arguments.of("standard base64 characters", List.of("A".repeat(20) + "+/")),
          Arguments.of("non-canonical trailing bits", List.of("A".repeat(21) + "B")),
          Arguments.of("a 10 000-character value", List.of(tenThousand)),
          Arguments.of("five same-named cookies with random ids", fiveIds),
          Arguments.of(
              "same-named cookies mixing garbage and random ids",
              List.of("garbage", fiveIds.get(0), tenThousand, fiveIds.get(1), "")));
    }

    private String header(List<String> values) {
      return values.stream().map(SessionFilterContract::cookie).collect(Collectors.joining("; "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void a_forged_cookie_is_treated_as_no_session(String label, List<String> values) {
      newSession("set:someone:else");

      Exchange peek = ok(request(script("peek", "get:someone", "cookieLengths"), header(values)));

      // the container hands every value to the filter, even the very long one
      assertThat(peek.line("cookieLengths"))
          .isEqualTo(values.stream().map(String::length).toList().toString());
      assertThat(peek.line("session")).isEqualTo("none");
      assertThat(peek.line("someone")).isEqualTo("<no session>");
      assertNoCookie(peek);
      // at most a few lookups, whatever the client sends; nothing written
      assertThat(peek.verbs())
          .as("statements of %s", peek)
          .hasSizeLessThanOrEqualTo(3)
          .allMatch("SELECT"::equals);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void a_session_created_under_a_forged_cookie_gets_a_fresh_id(
        String label, List<String> values) {
      Exchange created = ok(request(script("set:k:v", "peek"), header(values)));

      String id = onlyCookie(created).value();
      assertThat(SessionId.parse(id)).isPresent();
      assertThat(values).doesNotContain(id);
      assertThat(created.line("session")).isEqualTo(id);
      assertThat(created.line("new")).isEqualTo("true");
      List<String> verbs = created.verbs();
      assertThat(verbs).as("statements of %s", created).endsWith("INSERT");
      assertThat(verbs.subList(0, verbs.size() - 1))
          .hasSizeLessThanOrEqualTo(3)
          .allMatch("SELECT"::equals);
      assertThat(storedData(id)).isEqualTo(Map.of("k", "v"));
      assertThat(database.sessionRowCount()).isEqualTo(1);
      for (String value : values) {
        assertThat(rows(value)).as("rows under a forged id").isZero();
      }
    }

    @Test
    void an_expired_session_id_is_treated_as_no_session_and_not_reused() {
      String expired = newSession("set:k:old");
      clock.advance(EXPIRY.plusMinutes(1));

      Exchange peek = ok(as(expired, "peek", "get:k"));
      Exchange created = ok(as(expired, "set:k:new", "peek"));

      assertThat(peek.line("session")).isEqualTo("none");
      assertThat(peek.line("k")).isEqualTo("<no session>");
      assertStatements(peek, "SELECT");
      assertNoCookie(peek);
      String id = onlyCookie(created).value();
      assertThat(id).isNotEqualTo(expired);
      assertThat(created.line("new")).isEqualTo("true");
      assertStatements(created, "SELECT", "INSERT");
      assertThat(storedData(id)).isEqualTo(Map.of("k", "new"));
      assertThat(stored(expired)).isEmpty();
    }

    @Test
    void a_real_session_cookie_after_a_forged_one_of_the_same_name_is_still_found() {
      String id = newSession("set:k:v");

      Exchange read =
          ok(request(script("get:k"), cookie(SessionId.generate().value()) + "; " + cookie(id)));

      assertThat(read.line("k")).isEqualTo("v");
      assertStatements(read, "SELECT", "SELECT");
      assertNoCookie(read);
    }

    @Test
    void a_session_id_in_the_url_is_ignored() {
      String id = newSession("set:k:v");

      Exchange peek = ok(request(script("peek") + "&" + COOKIE + "=" + id + "&jsessionid=" + id));
      Exchange pathParameter = ok(request(SCRIPT + ";jsessionid=" + id + "?do=peek"));

      assertThat(peek.line("session")).isEqualTo("none");
      assertStatements(peek);
      assertThat(pathParameter.line("session")).isEqualTo("none");
      assertStatements(pathParameter);
    }
  }

  @Nested
  @DisplayName("session fixation")
  class Fixation {

    @Test
    void change_session_id_gives_a_new_id_keeps_the_data_and_removes_the_old_row() {
      String old = newSession("set:cart:apple", "set:user_id:alice");

      Exchange rotated = ok(as(old, "rotate", "peek"));

      String id = onlyCookie(rotated).value();
      assertThat(id).isNotEqualTo(old).isEqualTo(rotated.line("rotated"));
      assertThat(rotated.line("session")).isEqualTo(id);
      // one transaction: the old row is deleted only while live, and the new one inserted only then
      assertStatements(rotated, "SELECT", "DELETE", "INSERT");
      assertThat(storedData(id)).isEqualTo(Map.of("cart", "apple", "user_id", "alice"));
      assertThat(database.userIdColumn(SessionId.parse(id).orElseThrow())).isEqualTo("alice");
      assertThat(rows(old)).isZero();
      assertThat(stored(old)).isEmpty();

      Exchange withOld = ok(as(old, "peek"));
      assertThat(withOld.line("session")).isEqualTo("none");
      assertNoCookie(withOld);
      assertThat(ok(as(id, "get:cart")).line("cart")).isEqualTo("apple");
    }

    @Test
    void a_login_that_rotates_and_changes_the_data_writes_both_under_the_new_id() {
      String anonymous = newSession("set:cart:apple");

      Exchange login = ok(as(anonymous, "set:user_id:bob", "rotate", "set:role:admin"));

      String id = onlyCookie(login).value();
      assertThat(id).isNotEqualTo(anonymous);
      assertThat(storedData(id))
          .isEqualTo(Map.of("cart", "apple", "user_id", "bob", "role", "admin"));
      assertThat(database.userIdColumn(SessionId.parse(id).orElseThrow())).isEqualTo("bob");
      assertThat(rows(anonymous)).isZero();
    }

    @Test
    void change_session_id_without_a_session_is_refused() {
      Exchange refused = ok(request(script("rotate", "peek")));

      assertThat(refused.line("rotated")).isEqualTo("IllegalStateException");
      assertThat(refused.line("session")).isEqualTo("none");
      assertStatements(refused);
      assertNoCookie(refused);
    }

    @Test
    void rotating_a_session_started_in_the_same_request_inserts_it_once() {
      Exchange created = ok(request(script("set:k:v", "rotate", "peek")));

      String id = onlyCookie(created).value();
      assertThat(id).isEqualTo(created.line("rotated")).isEqualTo(created.line("session"));
      assertStatements(created, "INSERT");
      assertThat(database.sessionRowCount()).isEqualTo(1);
      assertThat(storedData(id)).isEqualTo(Map.of("k", "v"));
    }
  }

  @Nested
  @DisplayName("invalidation")
  class Invalidation {

    @Test
    void invalidate_deletes_the_row_and_expires_the_cookie_with_the_same_name_path_and_flags() {
      String id = newSession("set:user_id:alice");

      Exchange logout = ok(as(id, "invalidate", "peek"));

      assertThat(logout.line("invalidated")).isEqualTo("true");
      assertThat(logout.line("session")).isEqualTo("none");
      assertStatements(logout, "SELECT", "DELETE");
      SetCookie expired = onlyCookie(logout);
      assertThat(expired.name()).isEqualTo(COOKIE);
      assertThat(expired.value()).isEmpty();
      assertThat(expired.attributes())
          .as(expired.header())
          .containsOnlyKeys("max-age", "path", "httponly", "samesite")
          .containsEntry("max-age", "0")
          .containsEntry("path", "/")
          .containsEntry("samesite", "Strict");
      assertThat(rows(id)).isZero();

      Exchange after = ok(as(id, "peek"));
      assertThat(after.line("session")).isEqualTo("none");
      assertNoCookie(after);
    }

    @Test
    void the_expiring_cookie_carries_the_layers_secure_flag_path_and_domain() {
      serve(layer.toBuilder().secure(true).path("/app").domain("example.test").build());
      String id = newSession("set:k:v");

      Exchange logout = ok(as(id, "invalidate"));

      SetCookie expired = onlyCookie(logout);
      assertThat(expired.name()).isEqualTo(COOKIE);
      assertThat(expired.value()).isEmpty();
      assertThat(expired.attributes())
          .as(expired.header())
          .containsOnlyKeys("max-age", "path", "domain", "secure", "httponly", "samesite")
          .containsEntry("max-age", "0")
          .containsEntry("path", "/app")
          .containsEntry("domain", "example.test");
      assertThat(rows(id)).isZero();
    }

    @Test
    void a_session_started_after_invalidating_gets_a_fresh_id() {
      String old = newSession("set:user_id:alice");

      Exchange relogin = ok(as(old, "invalidate", "set:k:v", "peek"));

      SetCookie cookie = onlyCookie(relogin);
      assertThat(cookie.expires()).isFalse();
      assertThat(cookie.value()).isNotEqualTo(old).isEqualTo(relogin.line("session"));
      assertThat(relogin.line("new")).isEqualTo("true");
      assertStatements(relogin, "SELECT", "DELETE", "INSERT");
      assertThat(rows(old)).isZero();
      assertThat(storedData(cookie.value())).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void invalidating_without_a_session_does_nothing() {
      Exchange nothing = ok(request(script("invalidate")));

      assertThat(nothing.line("invalidated")).isEqualTo("no session");
      assertStatements(nothing);
      assertNoCookie(nothing);
    }
  }

  @Nested
  @DisplayName("values")
  class Values {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"object", "instant", "nested", "intKey"})
    void a_value_that_is_not_json_is_refused_naming_the_key_and_nothing_is_stored(String kind) {
      String id = newSession("set:k:v");
      SessionRecord before = stored(id).orElseThrow();

      Exchange refused = ok(as(id, "bad:prefs:" + kind, "keys"));

      assertThat(refused.line("rejected")).contains("prefs");
      assertThat(refused.line("keys")).isEqualTo("[k]");
      assertStatements(refused, "SELECT");
      assertNoCookie(refused);
      assertThat(stored(id)).contains(before);
    }

    @Test
    void a_refused_value_on_a_new_session_is_not_stored() {
      Exchange refused = ok(request(script("bad:when:instant", "keys")));

      assertThat(refused.line("rejected")).contains("when");
      assertThat(refused.line("keys")).isEqualTo("[]");
      // getSession() made the session; the refused value is not in it
      String id = onlyCookie(refused).value();
      assertThat(storedData(id)).isEmpty();
    }

    @Test
    void json_values_are_stored_as_json_and_read_back_equal() {
      String id = newSession("sample:prefs");

      assertThat(storedData(id)).isEqualTo(Map.of("prefs", ScriptServlet.sample()));
      assertThat(ok(as(id, "get:prefs")).line("prefs"))
          .isEqualTo(String.valueOf(ScriptServlet.sample()));
    }
  }

  @Nested
  @DisplayName("the user id")
  class UserId {

    @Test
    void setting_the_user_id_attribute_fills_the_user_id_column_and_removing_it_clears_it() {
      String id = newSession("set:cart:apple");
      SessionId sessionId = SessionId.parse(id).orElseThrow();
      assertThat(database.userIdColumn(sessionId)).isNull();

      ok(as(id, "set:user_id:alice"));
      assertThat(database.userIdColumn(sessionId)).isEqualTo("alice");

      ok(as(id, "remove:user_id"));
      assertThat(database.userIdColumn(sessionId)).isNull();
    }

    @Test
    void a_new_session_with_a_user_id_fills_the_column_at_once() {
      String id = newSession("set:user_id:alice");

      assertThat(database.userIdColumn(SessionId.parse(id).orElseThrow())).isEqualTo("alice");
      assertThat(otherNode.countSessionsForUser("alice")).isEqualTo(1);
    }

    @Test
    void clearing_a_users_sessions_from_another_node_logs_them_out_on_their_next_request() {
      String laptop = newSession("set:user_id:alice");
      String phone = newSession("set:user_id:alice");
      String bob = newSession("set:user_id:bob");

      assertThat(otherNode.clearSessionsForUser("alice")).isEqualTo(2);

      for (String id : List.of(laptop, phone)) {
        Exchange next = ok(as(id, "peek", "get:user_id"));
        assertThat(next.line("session")).isEqualTo("none");
        assertThat(next.line("user_id")).isEqualTo("<no session>");
        assertStatements(next, "SELECT");
      }
      assertThat(ok(as(bob, "get:user_id")).line("user_id")).isEqualTo("bob");
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void a_request_in_flight_when_the_user_is_cleared_does_not_bring_the_session_back()
        throws Exception {
      String id = newSession("set:user_id:alice");
      gate = new Gate(1);

      CompletableFuture<HttpResponse<String>> inFlight =
          requestAsync(BLOCK + "?key=cart&value=apple", cookie(id));
      await(gate.arrived, "the request has loaded and changed the session");
      assertThat(otherNode.clearSessionsForUser("alice")).isEqualTo(1);
      gate.release.countDown();
      HttpResponse<String> response = await(inFlight);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("released=true\n");
      // no cookie that names a session: either none, or one that drops the dead cookie
      assertThat(response.headers().allValues("Set-Cookie"))
          .allSatisfy(header -> assertThat(SetCookie.parse(header).expires()).as(header).isTrue());
      assertThat(rows(id)).isZero();
      assertThat(database.sessionRowCount()).isZero();
      assertThat(ok(as(id, "peek")).line("session")).isEqualTo("none");
    }
  }

  @Nested
  @DisplayName("store failures")
  class StoreFailures {

    /** A layer over a store whose data source is closed: every statement fails. */
    private SessionManagerLayer unreachableLayer() {
      DataSource closed = newDataSource(database);
      try {
        closer(closed).close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      ManagedSessionStore broken = newStore(closed, config());
      resources.push(broken::close);
      SessionId probe = SessionId.generate();
      assertThatThrownBy(() -> broken.load(probe)).isInstanceOf(SessionServiceException.class);
      return SessionManagerLayer.builder(broken).clock(clock).build();
    }

    @Test
    void when_the_store_cannot_load_a_read_fails_with_500() {
      String id = newSession("set:k:v");
      SessionRecord before = stored(id).orElseThrow();
      serve(unreachableLayer());

      Exchange read = as(id, "get:k");

      assertThat(read.status()).isEqualTo(500);
      assertNoCookie(read);
      assertThat(read.body()).doesNotContain("k=v");
      assertThat(stored(id)).contains(before);
    }

    @Test
    void when_the_store_cannot_load_no_new_session_is_made_in_its_place() {
      String id = newSession("set:k:v");
      SessionRecord before = stored(id).orElseThrow();
      serve(unreachableLayer());

      Exchange write = as(id, "set:k:w", "peek");

      assertThat(write.status()).isEqualTo(500);
      assertNoCookie(write);
      assertThat(stored(id)).contains(before);
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void when_the_store_cannot_insert_a_new_session_the_request_fails_with_500() {
      serve(unreachableLayer());

      Exchange created = request(script("set:k:v"));

      assertThat(created.status()).isEqualTo(500);
      assertNoCookie(created);
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void when_the_store_cannot_update_the_request_fails_with_500_and_the_session_is_unchanged() {
      String id = newSession("set:k:v");
      SessionRecord before = stored(id).orElseThrow();
      resources.push(refuseUpdates(database));

      Exchange changed = as(id, "set:k:w");

      assertThat(changed.status()).isEqualTo(500);
      assertThat(changed.verbs()).containsExactly("SELECT", "UPDATE");
      assertNoCookie(changed);
      assertThat(stored(id)).contains(before);
      // reads keep working
      assertThat(ok(as(id, "get:k")).line("k")).isEqualTo("v");
    }

    @Test
    void a_session_too_large_for_the_store_fails_with_500_and_is_not_stored() {
      String id = newSession("set:k:v");
      SessionRecord before = stored(id).orElseThrow();
      int tooLarge = SessionStoreConfig.DEFAULT_MAX_DATA_BYTES + 1;

      Exchange grown = as(id, "fill:blob:" + tooLarge);
      Exchange created = request(script("fill:blob:" + tooLarge));

      assertThat(grown.status()).isEqualTo(500);
      assertNoCookie(grown);
      assertThat(stored(id)).contains(before);
      assertThat(created.status()).isEqualTo(500);
      assertNoCookie(created);
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("concurrency")
  class Concurrency {

    private List<HttpResponse<String>> blockedTogether(String id, List<String> targets)
        throws Exception {
      gate = new Gate(targets.size());
      counted.reset();
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (String target : targets) {
        inFlight.add(requestAsync(target, cookie(id)));
      }
      await(gate.arrived, "every request has loaded and changed the session");
      gate.release.countDown();
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> future : inFlight) {
        responses.add(await(future));
      }
      return responses;
    }

    @Test
    void eight_requests_changing_one_key_at_once_all_succeed_and_the_last_to_commit_wins()
        throws Exception {
      String id = newSession("set:writer:none", "set:kept:yes");
      List<String> targets =
          IntStream.range(0, 8).mapToObj(i -> BLOCK + "?key=writer&value=w" + i).toList();

      List<HttpResponse<String>> responses = blockedTogether(id, targets);

      for (HttpResponse<String> response : responses) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
      }
      // each request either writes at the revision it loaded or merges once under the row lock
      long conflicts = counted.verbs().stream().filter("SELECT"::equals).count() - 8;
      assertThat(conflicts).isBetween(0L, 7L);
      assertThat(counted.verbs()).filteredOn("UPDATE"::equals).hasSize((int) (8 + conflicts));
      assertThat(storedData(id).get("writer"))
          .isIn(IntStream.range(0, 8).mapToObj(i -> "w" + i).toArray());
      assertThat(storedData(id)).containsEntry("kept", "yes");
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void two_requests_changing_different_keys_at_once_both_survive() throws Exception {
      String id = newSession("set:base:1");

      List<HttpResponse<String>> responses =
          blockedTogether(id, List.of(BLOCK + "?key=a&value=1", BLOCK + "?key=b&value=2"));

      assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      assertThat(storedData(id)).isEqualTo(Map.of("base", "1", "a", "1", "b", "2"));
    }

    @Test
    void a_conflict_costs_one_locked_reload_and_one_update_more_than_the_uncontended_path()
        throws Exception {
      String id = newSession("set:base:1");

      blockedTogether(id, List.of(BLOCK + "?key=a&value=1", BLOCK + "?key=b&value=2"));

      // both loaded at revision 0: one update wins, the other conflicts, reloads under the row's
      // lock and writes once more (SQLite adds BEGIN IMMEDIATE and COMMIT around that pair)
      assertThat(counted.verbs()).filteredOn("SELECT"::equals).hasSize(3);
      assertThat(counted.verbs()).filteredOn("UPDATE"::equals).hasSize(3);
      assertThat(counted.verbs())
          .filteredOn(verb -> !verb.equals("SELECT") && !verb.equals("UPDATE"))
          .isSubsetOf("BEGIN", "COMMIT");
    }

    @Test
    void sixteen_clients_setting_their_own_key_on_one_session_keep_every_last_value()
        throws Exception {
      String id = newSession("set:base:1");
      int clients = 16;
      int rounds = 12;
      List<Callable<List<Integer>>> loops = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        loops.add(
            () -> {
              List<Integer> statuses = new ArrayList<>();
              for (int round = 0; round < rounds; round++) {
                String command = "set:client" + client + ":" + round;
                statuses.add(await(requestAsync(script(command), cookie(id))).statusCode());
              }
              return statuses;
            });
      }

      List<List<Integer>> statuses = Concurrently.runAtOnce(loops);

      assertThat(statuses).allSatisfy(s -> assertThat(s).containsOnly(200));
      Map<String, Object> expected = new HashMap<>();
      expected.put("base", "1");
      for (int c = 0; c < clients; c++) {
        expected.put("client" + c, Integer.toString(rounds - 1));
      }
      assertThat(storedData(id)).isEqualTo(expected);
    }

    @Test
    void a_login_that_lands_after_logout_everywhere_keeps_only_what_the_login_set()
        throws Exception {
      String old = newSession("set:user_id:alice", "set:visits:5");
      gate = new Gate(1);

      CompletableFuture<HttpResponse<String>> login =
          requestAsync(BLOCK + "?key=login&value=yes&rotate=true", cookie(old));
      await(gate.arrived, "the login has loaded the session, changed it and rotated its id");
      assertThat(otherNode.clearSessionsForUser("alice")).isEqualTo(1);
      gate.release.countDown();
      HttpResponse<String> response = await(login);

      assertThat(response.statusCode()).isEqualTo(200);
      String fresh =
          SetCookie.parse(response.headers().firstValue("Set-Cookie").orElseThrow()).value();
      assertThat(fresh).isNotEqualTo(old);
      // deletion wins: nothing the deleted session held comes back, under any id
      assertThat(storedData(fresh)).isEqualTo(Map.of("login", "yes"));
      assertThat(rows(old)).isZero();
      assertThat(database.sessionRowCount()).isEqualTo(1);
      assertThat(otherNode.countSessionsForUser("alice")).isZero();
    }

    @Test
    void a_login_that_lands_after_the_session_was_invalidated_keeps_only_what_the_login_set()
        throws Exception {
      String old = newSession("set:cart:apple");
      gate = new Gate(1);

      CompletableFuture<HttpResponse<String>> login =
          requestAsync(BLOCK + "?key=user_id&value=bob&rotate=true", cookie(old));
      await(gate.arrived, "the login has loaded the session, changed it and rotated its id");
      ok(as(old, "invalidate"));
      gate.release.countDown();
      HttpResponse<String> response = await(login);

      String fresh =
          SetCookie.parse(response.headers().firstValue("Set-Cookie").orElseThrow()).value();
      assertThat(storedData(fresh)).isEqualTo(Map.of("user_id", "bob"));
      assertThat(rows(old)).isZero();
      assertThat(database.sessionRowCount()).isEqualTo(1);
    }

    @Test
    void a_login_that_wins_the_race_is_logged_out_by_the_logout_everywhere_that_follows()
        throws Exception {
      String old = newSession("set:user_id:alice", "set:visits:5");

      Exchange login = ok(as(old, "rotate", "set:login:yes"));
      assertThat(otherNode.clearSessionsForUser("alice")).isEqualTo(1);

      String rotated = onlyCookie(login).value();
      assertThat(ok(as(rotated, "peek")).line("session")).isEqualTo("none");
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void two_logins_racing_on_one_session_carry_its_data_into_one_new_session_only()
        throws Exception {
      String old = newSession("set:user_id:alice", "set:visits:5");

      List<HttpResponse<String>> responses =
          blockedTogether(
              old,
              List.of(
                  BLOCK + "?key=tab&value=1&rotate=true", BLOCK + "?key=tab&value=2&rotate=true"));

      List<String> ids = new ArrayList<>();
      for (HttpResponse<String> response : responses) {
        assertThat(response.statusCode()).isEqualTo(200);
        ids.add(SetCookie.parse(response.headers().firstValue("Set-Cookie").orElseThrow()).value());
      }
      assertThat(rows(old)).isZero();
      // the first rotation moves the session; the second finds it gone and keeps only its own key
      assertThat(ids.stream().map(id -> storedData(id)).filter(d -> d.containsKey("visits")))
          .hasSize(1);
      assertThat(database.sessionRowCount()).isEqualTo(2);
    }

    @Test
    void a_session_invalidated_by_another_request_while_one_was_running_is_not_brought_back()
        throws Exception {
      String id = newSession("set:k:v");
      gate = new Gate(1);

      CompletableFuture<HttpResponse<String>> inFlight =
          requestAsync(BLOCK + "?key=k&value=w", cookie(id));
      await(gate.arrived, "the request has loaded and changed the session");
      Exchange logout = ok(as(id, "invalidate"));
      gate.release.countDown();
      HttpResponse<String> late = await(inFlight);

      assertThat(onlyCookie(logout).expires()).isTrue();
      assertThat(late.statusCode()).isEqualTo(200);
      assertThat(rows(id)).isZero();
      assertThat(database.sessionRowCount()).isZero();
    }

    @Test
    void a_request_that_finds_its_session_rotated_away_does_not_expire_the_new_cookie()
        throws Exception {
      String old = newSession("set:user_id:alice");
      gate = new Gate(1);

      CompletableFuture<HttpResponse<String>> inFlight =
          requestAsync(BLOCK + "?key=cart&value=apple", cookie(old));
      await(gate.arrived, "the request has loaded and changed the session");
      Exchange login = ok(as(old, "rotate"));
      gate.release.countDown();
      HttpResponse<String> late = await(inFlight);

      String rotated = onlyCookie(login).value();
      assertThat(storedData(rotated)).containsEntry("user_id", "alice");
      assertThat(rows(old)).isZero();
      assertThat(late.statusCode()).isEqualTo(200);
      // The browser applies Set-Cookie headers in the order the responses arrive. This request
      // cannot know the new id; a Max-Age=0 cookie from it (same name, path and domain) would
      // delete the cookie the login just set and log the user out.
      assertThat(late.headers().allValues("Set-Cookie"))
          .as("Set-Cookie headers of the request that lost the race")
          .isEmpty();
      assertThat(ok(as(rotated, "get:user_id")).line("user_id")).isEqualTo("alice");
    }

    @Test
    void concurrent_requests_without_a_cookie_get_distinct_new_sessions() throws Exception {
      List<Callable<String>> creators = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String value = "v" + i;
        creators.add(
            () -> {
              HttpResponse<String> response = await(requestAsync(script("set:k:" + value), null));
              assertThat(response.statusCode()).isEqualTo(200);
              return SetCookie.parse(response.headers().firstValue("Set-Cookie").orElseThrow())
                  .value();
            });
      }

      List<String> ids = Concurrently.runAtOnce(creators);

      Set<String> distinct = new HashSet<>(ids);
      assertThat(distinct).hasSize(8);
      assertThat(database.sessionRowCount()).isEqualTo(8);
      for (int i = 0; i < 8; i++) {
        assertThat(storedData(ids.get(i))).isEqualTo(Map.of("k", "v" + i));
      }
    }

    @Test
    void concurrent_reads_and_writes_on_one_session_never_fail() throws Exception {
      String id = newSession("set:n:0");
      List<Callable<Integer>> requests = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String command = i % 2 == 0 ? "get:n" : "set:n:" + i;
        requests.add(() -> await(requestAsync(script(command), cookie(id))).statusCode());
      }

      List<Integer> statuses = Concurrently.runAtOnce(requests);

      assertThat(statuses).containsOnly(200);
      assertThat(storedData(id).get("n")).isIn("1", "3", "5", "7");
    }
  }
}

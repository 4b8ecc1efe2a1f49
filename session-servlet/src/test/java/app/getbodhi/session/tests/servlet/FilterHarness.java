package app.getbodhi.session.tests.servlet;

import static app.getbodhi.session.tests.servlet.FilterAssertions.ok;
import static app.getbodhi.session.tests.servlet.FilterAssertions.onlyCookie;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.servlet.SessionManagerFilter;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.CountingDataSource;
import app.getbodhi.session.tck.MutableClock;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.tests.servlet.TestServlets.BlockingServlet;
import app.getbodhi.session.tests.servlet.TestServlets.LargeBodyServlet;
import app.getbodhi.session.tests.servlet.TestServlets.LogoutEverywhereServlet;
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
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * What a test of {@link SessionManagerFilter} over real HTTP needs: a database with a store on it
 * whose statements are counted, an embedded server (Jetty unless {@link #container} says Tomcat)
 * running the test servlets behind the filter, an {@link HttpClient} that sends every cookie itself
 * (it keeps none), and "another node" to look at, or change, what is stored.
 *
 * <p>Every request counts the SQL statements the layer's store ran for it, through a {@link
 * CountingDataSource} around the database's pool, so a test can say what a request costs: nothing
 * when it never touches the session, one {@code SELECT} when it only reads, one {@code SELECT} and
 * one {@code UPDATE} when it changes an existing session, one {@code INSERT} for a new one. The
 * other node is a second store on the same pool, not counted.
 *
 * <pre>{@code
 * @BeforeAll void open() {
 *   http = FilterHarness.on(SqliteFixture.tempFile()).stores(SqliteSessionStore::new).open();
 * }
 * @BeforeEach void start() { http.startTest(); }
 * @AfterEach void finish() throws Exception { http.finishTest(); }
 * @AfterAll void close() throws Exception { http.close(); }
 *
 * @Test void a_read_costs_one_select() {
 *   String id = http.newSession("set:k:v");
 *   assertStatements(ok(http.as(id, "get:k")), "SELECT"); // FilterAssertions
 * }
 * }</pre>
 *
 * <p>{@link #open()} migrates the database once; {@link #startTest()} empties the session table,
 * sets the {@link MutableClock} shared by the layer and every store back to {@link #START} (time
 * moves only when a test advances it) and starts a server with the default layer; {@link
 * #finishTest()} stops every server the test started and undoes what it registered with {@link
 * #closeAfterTest}; {@link #close()} closes the stores and removes the database. No wait here
 * sleeps: waits are latches and futures with timeouts.
 */
public final class FilterHarness implements AutoCloseable {

  /**
   * Where the clock starts: long past, so that a component reading the system clock instead of the
   * layer's sees every session as expired and fails the tests.
   */
  public static final Instant START = Instant.parse("2000-01-01T00:00:00Z");

  /** The cookie name of the default layer. */
  public static final String COOKIE = SessionManagerLayer.DEFAULT_COOKIE_NAME;

  /** The idle timeout of a session with the default layer. */
  public static final Duration EXPIRY = SessionManagerLayer.DEFAULT_EXPIRY;

  /**
   * The access granularity of a session with the default layer: the layer's default, smaller than a
   * tenth of {@link #EXPIRY}. Such a session lives at most this much longer than {@link #EXPIRY}
   * after its last write.
   */
  public static final Duration GRANULARITY = SessionManagerLayer.DEFAULT_ACCESS_GRANULARITY;

  /** The longest any single wait in these tests may take before the test fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** The path of the servlet that never touches the session. */
  public static final String PLAIN = "/plain";

  /** The path of the servlet that runs script commands (see {@link #script}). */
  public static final String SCRIPT = "/session";

  /**
   * The path of the servlet that writes a large body after a change: {@code
   * ?key=K&value=V&mode=stream|writer&size=N&chunk=N&length=true|false}.
   */
  public static final String LARGE = "/large";

  /**
   * The path of the servlet that loads the session, sets {@code key} to {@code value} (and rotates
   * the id when {@code rotate=true}), then waits at the gate (see {@link Gatekeeper}).
   */
  public static final String BLOCK = "/block";

  /**
   * The path of the servlet that logs the session's user out everywhere, through {@link #store()}:
   * every session of the user is deleted and this one invalidated; it reports {@code cleared=N}.
   */
  public static final String LOGOUT_EVERYWHERE = "/logout-everywhere";

  /**
   * The path of the servlet that forwards and includes go to: {@code ?act=set|rotate|invalidate},
   * and {@code &body=true} to write a body (see the test servlets' {@code DispatchTargetServlet}).
   */
  public static final String DISPATCHED = "/dispatched";

  /** One client for all tests; it has no cookie handler, so the tests send every cookie. */
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(TIMEOUT)
          .build();

  /**
   * Builds a store of the backend under test on a data source it does not own, without migrating:
   * {@code SqliteSessionStore::new}, {@code PgSessionStore::new}.
   */
  @FunctionalInterface
  public interface StoreFactory {
    /**
     * Builds the store.
     *
     * @param dataSource the data source
     * @param config the settings; its clock is the harness's
     * @return the store
     */
    ManagedSessionStore open(DataSource dataSource, SessionStoreConfig config);
  }

  private final TestDatabase database;
  private final MutableClock clock = MutableClock.at(START);
  private final Deque<AutoCloseable> classResources = new ArrayDeque<>();
  private final Deque<AutoCloseable> testResources = new ArrayDeque<>();
  private StoreFactory stores;
  private FilterServer.Container container = FilterServer.Container.JETTY;
  private CountingDataSource counted;
  private ManagedSessionStore store;
  private ManagedSessionStore otherNode;
  private SessionManagerLayer layer;
  private FilterServer server;
  private final Gatekeeper gate = new Gatekeeper(this::requestAsync);

  private FilterHarness(TestDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
    classResources.push(database);
  }

  /**
   * Starts a harness on a fresh database; the harness owns it and removes it on {@link #close()}.
   *
   * @param database such as {@code SqliteFixture.tempFile()} or {@code
   *     PostgresFixture.shared().freshSchema()}
   * @return the harness, not yet open
   */
  public static FilterHarness on(TestDatabase database) {
    return new FilterHarness(database);
  }

  /**
   * Says how to build the backend's store.
   *
   * @param factory such as {@code SqliteSessionStore::new}
   * @return this harness
   */
  public FilterHarness stores(StoreFactory factory) {
    this.stores = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Says which container the servers run on; Jetty unless told.
   *
   * @param servers the container
   * @return this harness
   */
  public FilterHarness container(FilterServer.Container servers) {
    this.container = Objects.requireNonNull(servers, "servers");
    return this;
  }

  /**
   * @return the container the servers run on
   */
  public FilterServer.Container container() {
    return container;
  }

  /**
   * Migrates the database through the other node and builds the layer's store on a counted data
   * source; both use the database's own pool. On failure everything opened so far is closed.
   *
   * @return this harness
   */
  public FilterHarness open() {
    if (stores == null) {
      throw new IllegalStateException("say how to build the store first: stores(...)");
    }
    try {
      DataSource pool = database.dataSource();
      otherNode = remember(classResources, stores.open(pool, config()));
      otherNode.migrate();
      counted = new CountingDataSource(pool);
      store = remember(classResources, stores.open(counted, config()));
      layer = SessionManagerLayer.builder(store).clock(clock).build();
      return this;
    } catch (RuntimeException e) {
      try {
        closeAll(classResources);
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static ManagedSessionStore remember(
      Deque<AutoCloseable> resources, ManagedSessionStore store) {
    resources.push(store);
    return store;
  }

  /** Sets the clock to {@link #START}, empties the session table and serves the default layer. */
  public void startTest() {
    clock.set(START);
    database.execute("DELETE FROM bodhi_sessions");
    gate.hold(1);
    serve(layer);
  }

  /**
   * Releases any request still at the gate, stops the test's servers and closes what the test
   * registered.
   *
   * @throws Exception the first failure to close, with the others suppressed
   */
  public void finishTest() throws Exception {
    // release anything still blocked, so that stopping the server does not wait for it
    gate.release();
    closeAll(testResources);
  }

  /**
   * Closes the stores and removes the database.
   *
   * @throws Exception the first failure to close, with the others suppressed
   */
  @Override
  public void close() throws Exception {
    closeAll(testResources);
    closeAll(classResources);
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

  // ---------------------------------------------------------------------------------------------
  // what the tests use

  /**
   * @return the clock of the layer and of every store
   */
  public MutableClock clock() {
    return clock;
  }

  /**
   * @return the database, migrated; each test starts with its session table empty
   */
  public TestDatabase database() {
    return database;
  }

  /**
   * @return the store behind the default layer, on {@link #counted()}
   */
  public ManagedSessionStore store() {
    return store;
  }

  /**
   * @return another store on the same database, not counted: another application node, or the CLI
   */
  public ManagedSessionStore otherNode() {
    return otherNode;
  }

  /**
   * @return the default layer: {@link #store()}, the clock and every cookie default
   */
  public SessionManagerLayer layer() {
    return layer;
  }

  /**
   * @return the data source under the layer's store; it records every statement the store runs
   */
  public CountingDataSource counted() {
    return counted;
  }

  /**
   * Returns the store settings the tests use: the defaults with the harness's clock.
   *
   * @return the settings
   */
  public SessionStoreConfig config() {
    return SessionStoreConfig.defaults().withClock(clock);
  }

  /**
   * Builds one more store of the backend on a data source, closed after the test.
   *
   * @param dataSource the data source
   * @return the store, not migrated
   */
  public ManagedSessionStore newStore(DataSource dataSource) {
    return remember(testResources, stores.open(dataSource, config()));
  }

  /**
   * Registers something the test set up and the harness undoes after it, such as {@link
   * TestDatabase#refuseWritesOfUser}'s handle.
   *
   * @param resource what to close
   */
  public void closeAfterTest(AutoCloseable resource) {
    testResources.push(Objects.requireNonNull(resource, "resource"));
  }

  /**
   * Starts a server with the test servlets behind a filter for a layer; later requests go to it. It
   * is stopped after the test.
   *
   * @param serverLayer the layer the filter applies
   * @return the server
   */
  public FilterServer serve(SessionManagerLayer serverLayer) {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put(PLAIN, new PlainServlet());
    servlets.put(SCRIPT, new ScriptServlet());
    servlets.put(LARGE, new LargeBodyServlet());
    servlets.put(BLOCK, new BlockingServlet(gate::current));
    servlets.put(LOGOUT_EVERYWHERE, new LogoutEverywhereServlet(store));
    servlets.put(DISPATCHED, new TestServlets.DispatchTargetServlet());
    FilterServer started =
        FilterServer.start(container, new SessionManagerFilter(serverLayer), servlets);
    testResources.push(started);
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
  public static String script(String... commands) {
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
  public static String cookie(String id) {
    return COOKIE + "=" + id;
  }

  /**
   * Sends a GET without cookies and records what it cost.
   *
   * @param target the path and query
   * @return the exchange
   */
  public Exchange request(String target) {
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
  public Exchange request(String target, String cookieHeader) {
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
  public Exchange as(String id, String... commands) {
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
  public CompletableFuture<HttpResponse<String>> requestAsync(String target, String cookieHeader) {
    return CLIENT.sendAsync(
        httpRequest(target, cookieHeader),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * Waits for a response (or any future) for at most {@link #TIMEOUT}.
   *
   * @param future the future
   * @param <T> its value's type
   * @return its value
   * @throws InterruptedException when interrupted
   * @throws ExecutionException when it failed
   * @throws TimeoutException when it took too long
   */
  public static <T> T await(CompletableFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * @return the gate in front of {@link #BLOCK}, to hold requests there while the test acts
   */
  public Gatekeeper gate() {
    return gate;
  }

  /**
   * Creates a session over HTTP, the way an application does, and returns its id.
   *
   * @param commands script commands that create it, such as {@code set:k:v}
   * @return the id from the response's cookie
   */
  public String newSession(String... commands) {
    Exchange created = ok(request(script(commands)));
    SetCookie cookie = onlyCookie(created);
    assertThat(cookie.name()).isEqualTo(COOKIE);
    assertThat(SessionId.parse(cookie.value())).as("the new session id").isPresent();
    return cookie.value();
  }

  // ---------------------------------------------------------------------------------------------
  // what is stored

  /**
   * Reads a session through the other node.
   *
   * @param id the id
   * @return the live session, or empty
   */
  public Optional<SessionRecord> stored(String id) {
    return SessionId.parse(id).flatMap(otherNode::load);
  }

  /**
   * Reads a live session through the other node.
   *
   * @param id the id
   * @return the session
   * @throws AssertionError when there is no live session with that id
   */
  public SessionRecord record(String id) {
    return stored(id).orElseThrow(() -> new AssertionError("no live session"));
  }

  /**
   * Reads a live session's data through the other node.
   *
   * @param id the id
   * @return its data
   */
  public Map<String, Object> storedData(String id) {
    return stored(id).map(SessionRecord::data).orElseThrow(() -> new AssertionError("no session"));
  }

  /**
   * Returns the row key a session id is stored under: the table never holds the id itself.
   *
   * @param id a well-formed session id, such as a cookie's value
   * @return its ref, as the stores compute it
   * @throws AssertionError when the text is not a well-formed id
   */
  public SessionRef refOf(String id) {
    return otherNode.refOf(
        SessionId.parse(id).orElseThrow(() -> new AssertionError("not a well-formed session id")));
  }

  /**
   * Counts the rows of a session id, expired or not, bypassing every store. The row key is the id's
   * ref, so that is where a row is found by the cookie that named it; a row keyed by the text
   * itself (the format before sealed storage) counts too, so that a store writing ids as keys again
   * fails every test that expects none. Any text works: one that is no well-formed id has no ref
   * and is looked up as it is.
   *
   * @param id the id, or any text a client might send
   * @return 0 or 1
   */
  public long rows(String id) {
    String key = SessionId.parse(id).map(otherNode::refOf).map(SessionRef::value).orElse(id);
    return database.queryLong(
        "SELECT count(*) FROM bodhi_sessions WHERE id = ? OR id = ?", key, id);
  }

  @Override
  public String toString() {
    return "FilterHarness[" + database + "]";
  }
}

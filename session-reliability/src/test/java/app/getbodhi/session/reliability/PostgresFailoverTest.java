package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.servlet.SessionManagerFilter;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tests.servlet.FilterServer;
import app.getbodhi.session.web.SessionManagerLayer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL high availability as a deployment meets it: a primary and a streaming standby that
 * this test starts from the PostgreSQL binaries it already uses ({@link LocalPostgresServer}), a
 * store on a multi-host URL naming both ({@code target_session_attrs=read-write}), load through the
 * store, then the primary stopped (as a crash: {@code pg_ctl -m immediate}) and the standby
 * promoted.
 *
 * <p>What it holds: while no primary answers, calls fail fast (within the configured timeouts) with
 * a {@code DATABASE} error; the pool lets go of connections to the dead primary and calls succeed
 * on the new one within {@link #RECOVERY}; with synchronous replication, no write the store
 * acknowledged is lost. With asynchronous replication it shows what can be lost: writes the primary
 * acknowledged that never reached the standby. The figures are printed for the record.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresFailoverTest {

  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  /** Scheduling slack on a busy two-core machine; a hang is many times this. */
  private static final Duration MARGIN = Duration.ofSeconds(3);

  /** How soon after the promotion calls must succeed again. */
  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private static final int WRITERS = 4;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    resources.add(resource);
    return resource;
  }

  private static SessionStoreConfig config() {
    return SessionStoreConfig.defaults()
        .withConnectionTimeout(CONNECTION_TIMEOUT)
        .withQueryTimeout(CONNECTION_TIMEOUT)
        .withMaximumPoolSize(WRITERS);
  }

  /** A libpq multi-host URL naming the primary first and the standby second. */
  private static String bothHosts(LocalPostgresServer primary, LocalPostgresServer standby) {
    return "postgres://postgres:F41l0ver-pw@127.0.0.1:"
        + primary.port()
        + ",127.0.0.1:"
        + standby.port()
        + "/postgres?target_session_attrs=read-write";
  }

  private static SessionRecord session(String user, int version) {
    return new SessionRecord(
        SessionId.generate(),
        Map.of(SessionRecord.USER_ID_KEY, user, "version", version),
        Instant.now().plusSeconds(3600));
  }

  /** What the load wrote and the store acknowledged: each session's last acknowledged content. */
  private static final class Acknowledged {
    final Map<SessionId, Map<String, Object>> content = new ConcurrentHashMap<>();
    final AtomicInteger writes = new AtomicInteger();
    private final Map<SessionId, Map<String, Object>> attemptedSince = new ConcurrentHashMap<>();

    void attempt(SessionRecord writing) {
      attemptedSince.put(writing.id(), writing.data());
    }

    void record(SessionRecord written) {
      content.put(written.id(), written.data());
      attemptedSince.remove(written.id());
      writes.incrementAndGet();
    }

    /**
     * The acknowledged sessions the store no longer has as they were acknowledged. A write that
     * failed at the client may still have committed (the connection died after the commit, before
     * the answer), so a later attempted content counts as kept too.
     */
    List<SessionId> lost(ManagedSessionStore store) {
      List<SessionId> lost = new ArrayList<>();
      content.forEach(
          (id, data) -> {
            Optional<Map<String, Object>> found = store.load(id).map(SessionRecord::data);
            boolean kept =
                found.isPresent()
                    && (found.get().equals(data) || found.get().equals(attemptedSince.get(id)));
            if (!kept) {
              lost.add(id);
            }
          });
      return lost;
    }
  }

  /** One call of the load: when it ended, how long it took, and how it failed, if it did. */
  private record Call(Instant ended, Duration took, Optional<Throwable> error) {}

  /**
   * Writers that create a session and change it once, again and again, until stopped, recording
   * every call and every acknowledged write.
   */
  private static final class Load implements AutoCloseable {
    final Acknowledged acknowledged = new Acknowledged();
    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS);

    Load(ManagedSessionStore store) {
      for (int w = 0; w < WRITERS; w++) {
        String user = "writer-" + w;
        writers.execute(
            () -> {
              int version = 0;
              while (running.get()) {
                SessionRecord created = session(user, ++version);
                if (call(() -> store.save(created))) {
                  acknowledged.record(created);
                  SessionRecord changed =
                      new SessionRecord(
                          created.id(),
                          Map.of(SessionRecord.USER_ID_KEY, user, "version", -version),
                          created.expiryDate());
                  acknowledged.attempt(changed);
                  if (call(() -> store.save(changed))) {
                    acknowledged.record(changed);
                  }
                }
              }
            });
      }
    }

    private boolean call(Runnable write) {
      Instant start = Instant.now();
      try {
        write.run();
        calls.add(
            new Call(Instant.now(), Duration.between(start, Instant.now()), Optional.empty()));
        return true;
      } catch (RuntimeException e) {
        calls.add(new Call(Instant.now(), Duration.between(start, Instant.now()), Optional.of(e)));
        return false;
      }
    }

    /** The first successful call that ended after a moment, if any yet. */
    Optional<Instant> firstSuccessAfter(Instant moment) {
      return calls.stream()
          .filter(call -> call.error().isEmpty() && call.ended().isAfter(moment))
          .map(Call::ended)
          .min(Instant::compareTo);
    }

    List<Call> failures() {
      return calls.stream().filter(call -> call.error().isPresent()).toList();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      writers.shutdown();
      assertThat(writers.awaitTermination(30, TimeUnit.SECONDS))
          .as("the writers end within the timeouts once stopped")
          .isTrue();
    }
  }

  @Test
  void with_synchronous_replication_a_failover_loses_no_acknowledged_write() throws Exception {
    LocalPostgresServer primary =
        closing(LocalPostgresServer.start(List.of("synchronous_standby_names='*'")));
    LocalPostgresServer standby = closing(primary.standby());
    ManagedSessionStore store =
        closing(SessionStoreBackend.connect(bothHosts(primary, standby), config()));

    Load load = new Load(store);
    Instant failedOver;
    Instant recovered;
    try {
      awaitWrites(load, 200);
      primary.stop("immediate");
      Instant stopped = Instant.now();
      standby.promote();
      failedOver = Instant.now();
      recovered =
          Calls.waitUntil(RECOVERY, () -> load.firstSuccessAfter(failedOver).isPresent())
              .map(waited -> load.firstSuccessAfter(failedOver).orElseThrow())
              .orElse(null);
      awaitWrites(load, load.acknowledged.writes.get() + 100);
      System.out.printf(
          "failover (synchronous): primary stopped, standby promoted in %d ms%n",
          Duration.between(stopped, failedOver).toMillis());
    } finally {
      load.close();
    }

    assertThat(recovered)
        .as("a call succeeds on the promoted standby within %s of the promotion", RECOVERY)
        .isNotNull();
    List<Call> failures = load.failures();
    assertFailedFastAndClearly(failures);
    Instant settled = recovered.plus(MARGIN);
    assertThat(failures)
        .as("once a call succeeds on the new primary, the pool holds no connection to the old one")
        .noneMatch(failure -> failure.ended().isAfter(settled));
    List<SessionId> lost = load.acknowledged.lost(store);
    System.out.printf(
        "failover (synchronous): first success %d ms after promotion; %d calls failed during the"
            + " switch; %d acknowledged writes of %d sessions checked, %d lost%n",
        Duration.between(failedOver, recovered).toMillis(),
        failures.size(),
        load.acknowledged.writes.get(),
        load.acknowledged.content.size(),
        lost.size());
    assertThat(lost).as("acknowledged writes lost with synchronous replication").isEmpty();
    assertThat(writableNode(standby)).as("the store now writes to the promoted standby").isTrue();
  }

  @Test
  void with_asynchronous_replication_what_the_standby_never_received_is_lost() throws Exception {
    LocalPostgresServer primary = closing(LocalPostgresServer.start(List.of()));
    LocalPostgresServer standby = closing(primary.standby());
    ManagedSessionStore store =
        closing(SessionStoreBackend.connect(bothHosts(primary, standby), config()));
    List<SessionRecord> replicated = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      SessionRecord written = session("before", i);
      store.save(written);
      replicated.add(written);
    }
    awaitReplayed(primary, standby);

    standby.detachFromPrimary();
    // the reload that stops the WAL receiver is asynchronous: write only once it is gone, or the
    // first writes may still reach the standby
    assertThat(
            Calls.waitUntil(
                RECOVERY,
                () -> {
                  try {
                    return "0".equals(query(standby, "SELECT count(*) FROM pg_stat_wal_receiver"));
                  } catch (SQLException e) {
                    return false;
                  }
                }))
        .as("the standby's WAL receiver stops")
        .isPresent();
    List<SessionRecord> unreplicated = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // acknowledged by the primary: asynchronous replication does not wait for the standby
      SessionRecord written = session("after", i);
      store.save(written);
      unreplicated.add(written);
    }
    primary.stop("immediate");
    standby.promote();

    Optional<Duration> recovered =
        Calls.waitUntil(RECOVERY, () -> succeeds(() -> store.countSessionsForUser("before")));
    assertThat(recovered).as("the store works on the promoted standby").isPresent();
    assertThat(replicated)
        .as("what had reached the standby is there")
        .allSatisfy(written -> assertThat(store.load(written.id())).isPresent());
    long lost = unreplicated.stream().filter(w -> store.load(w.id()).isEmpty()).count();
    System.out.printf(
        "failover (asynchronous): %d of %d acknowledged writes made after the standby fell behind"
            + " were lost%n",
        lost, unreplicated.size());
    assertThat(lost)
        .as("asynchronous replication loses the acknowledged writes the standby never received")
        .isEqualTo(unreplicated.size());
  }

  /**
   * Counts a visitor's requests in its session: what a real page does on every request, a read and
   * a write through the filter.
   */
  private static final class VisitServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      HttpSession session = request.getSession();
      long visits =
          ((Number) Objects.requireNonNullElse(session.getAttribute("visits"), 0L)).longValue() + 1;
      session.setAttribute("visits", visits);
      response.setContentType("text/plain");
      response.getWriter().print(visits);
    }
  }

  @Test
  void through_the_filter_on_two_nodes_every_acknowledged_visit_survives_the_failover()
      throws Exception {
    LocalPostgresServer primary =
        closing(LocalPostgresServer.start(List.of("synchronous_standby_names='*'")));
    LocalPostgresServer standby = closing(primary.standby());
    List<FilterServer> nodes = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      ManagedSessionStore store =
          closing(SessionStoreBackend.connect(bothHosts(primary, standby), config()));
      nodes.add(
          closing(
              FilterServer.start(
                  new SessionManagerFilter(SessionManagerLayer.builder(store).build()),
                  Map.of("/visit", new VisitServlet()))));
    }
    // each visitor has a browser of its own and alternates between the nodes; a 200 answer is
    // a visit the layer wrote before answering: acknowledged
    List<HttpClient> visitors = new ArrayList<>();
    for (int v = 0; v < WRITERS; v++) {
      visitors.add(HttpClient.newBuilder().cookieHandler(new CookieManager()).build());
    }
    Map<HttpClient, Long> acknowledged = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService load = Executors.newFixedThreadPool(WRITERS);
    for (HttpClient visitor : visitors) {
      load.execute(
          () -> {
            int request = 0;
            while (running.get()) {
              URI page = nodes.get(request++ % nodes.size()).uri("/visit");
              Instant start = Instant.now();
              Optional<Throwable> failure;
              try {
                HttpResponse<String> answer =
                    visitor.send(
                        HttpRequest.newBuilder(page).timeout(RECOVERY).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                  long visits = Long.parseLong(answer.body());
                  Long before = acknowledged.put(visitor, visits);
                  // more than the last acknowledged count: a visit whose answer was lost in the
                  // switch may still have been written, but an acknowledged one is never undone
                  failure =
                      before == null || visits > before
                          ? Optional.empty()
                          : Optional.of(
                              new AssertionError(
                                  "visit " + visits + " after acknowledged visit " + before));
                } else {
                  failure = Optional.of(new IOException("status " + answer.statusCode()));
                }
              } catch (IOException e) {
                failure = Optional.of(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              calls.add(new Call(Instant.now(), Duration.between(start, Instant.now()), failure));
            }
          });
    }
    Instant failedOver;
    Optional<Duration> recovered;
    try {
      assertThat(Calls.waitUntil(RECOVERY, () -> calls.size() >= 100)).isPresent();
      primary.stop("immediate");
      standby.promote();
      failedOver = Instant.now();
      recovered =
          Calls.waitUntil(
              RECOVERY,
              () ->
                  calls.stream()
                          .filter(c -> c.error().isEmpty() && c.ended().isAfter(failedOver))
                          .count()
                      >= 20);
    } finally {
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    List<Call> failed = calls.stream().filter(c -> c.error().isPresent()).toList();
    System.out.printf(
        "failover (synchronous, filter on two nodes): %d requests, %d failed during the switch,"
            + " %d visitors' counts checked%n",
        calls.size(), failed.size(), acknowledged.size());
    assertThat(recovered)
        .as("the nodes answer again within %s of the promotion", RECOVERY)
        .isPresent();
    assertThat(failed)
        .as("failed requests are server errors during the switch, never a count that went back")
        .allSatisfy(
            c -> {
              assertThat(c.error().orElseThrow()).isNotInstanceOf(AssertionError.class);
              assertThat(c.took())
                  .isLessThanOrEqualTo(CONNECTION_TIMEOUT.multipliedBy(2).plus(MARGIN));
            });
  }

  private static boolean succeeds(Runnable call) {
    try {
      call.run();
      return true;
    } catch (SessionServiceException e) {
      return false;
    }
  }

  private static void awaitWrites(Load load, int writes) {
    assertThat(Calls.waitUntil(RECOVERY, () -> load.acknowledged.writes.get() >= writes))
        .as(
            "the load reaches %d acknowledged writes (has %d; last failures: %s)",
            writes,
            load.acknowledged.writes.get(),
            load.failures().stream()
                .skip(Math.max(0, load.failures().size() - 3))
                .map(call -> Calls.printed(call.error().orElseThrow()))
                .toList())
        .isPresent();
  }

  private static void assertFailedFastAndClearly(List<Call> failures) {
    // a call may wait for a connection (the connection timeout) and then run on one that dies
    // under it (the query timeout), and nothing more
    Duration bound = CONNECTION_TIMEOUT.multipliedBy(2).plus(MARGIN);
    assertThat(failures)
        .allSatisfy(
            failure -> {
              assertThat(failure.took()).as("a failed call's time").isLessThanOrEqualTo(bound);
              assertThat(failure.error().orElseThrow())
                  .isInstanceOfSatisfying(
                      SessionServiceException.class,
                      e -> {
                        assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE);
                        assertThat(Calls.printed(e)).doesNotContain("F41l0ver-pw");
                      });
            });
  }

  /** Waits until the standby has replayed everything the primary has written so far. */
  private static void awaitReplayed(LocalPostgresServer primary, LocalPostgresServer standby)
      throws SQLException {
    String written = query(primary, "SELECT pg_current_wal_lsn()::text");
    Optional<Duration> caughtUp =
        Calls.waitUntil(
            RECOVERY,
            () -> {
              try {
                return "t"
                    .equals(
                        query(
                            standby,
                            "SELECT pg_last_wal_replay_lsn() >= '" + written + "'::pg_lsn"));
              } catch (SQLException e) {
                return false;
              }
            });
    assertThat(caughtUp).as("the standby replays the primary's writes").isPresent();
  }

  private static boolean writableNode(LocalPostgresServer server) throws SQLException {
    return "f".equals(query(server, "SELECT pg_is_in_recovery()"));
  }

  private static String query(LocalPostgresServer server, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres", "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }
}

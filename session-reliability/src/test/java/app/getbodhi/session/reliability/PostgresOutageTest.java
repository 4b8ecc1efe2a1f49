package app.getbodhi.session.reliability;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.Records;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A PostgreSQL server that goes away under load and comes back, on a server this test owns (see
 * {@link LocalPostgresServer}): calls fail fast and clearly while it is away, the same store works
 * again once it is back, and nothing written before is lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresOutageTest {

  private static final String PASSWORD = "0utage-Pa55word";
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  /** Scheduling slack on a busy two-core machine; a hang is many times this. */
  private static final Duration MARGIN = Duration.ofSeconds(3);

  private static final Duration RECOVERY = Duration.ofSeconds(5);

  private LocalPostgresServer server;
  private int schemas;

  @BeforeAll
  void startServer() throws Exception {
    server = LocalPostgresServer.start();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A new schema on the server and a URL whose store lives in it. */
  private String freshSchemaUrl() throws SQLException {
    String schema = "outage_" + (++schemas);
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    return server.url(PASSWORD) + "?currentSchema=" + schema;
  }

  private static SessionStoreConfig config() {
    // the query timeout bounds a call on a frozen server, the connection timeout one on a stopped
    // server; both are the "configured timeout" the outage tests hold every call to
    return SessionStoreConfig.defaults()
        .withConnectionTimeout(CONNECTION_TIMEOUT)
        .withQueryTimeout(CONNECTION_TIMEOUT)
        .withMaximumPoolSize(4);
  }

  private static SessionRecord session(String user, int version) {
    Map<String, Object> data = new HashMap<>();
    data.put(SessionRecord.USER_ID_KEY, user);
    data.put("version", version);
    return new SessionRecord(SessionId.generate(), data, Instant.now().plusSeconds(3600));
  }

  private static void assertFailedFastAndClearly(List<Calls.Outcome> outcomes) {
    assertThat(outcomes)
        .as("every call fails within the connection timeout (%s) plus slack", CONNECTION_TIMEOUT)
        .allSatisfy(
            outcome ->
                assertThat(
                        outcome.finished()
                            && outcome.elapsed().compareTo(CONNECTION_TIMEOUT.plus(MARGIN)) <= 0)
                    .as("%s", outcome)
                    .isTrue());
    for (Calls.Outcome outcome : outcomes) {
      assertThat(outcome.finished())
          .as("%s: must fail within the connection timeout, not hang", outcome)
          .isTrue();
      assertThat(outcome.elapsed())
          .as("%s: at most the connection timeout plus slack", outcome)
          .isLessThanOrEqualTo(CONNECTION_TIMEOUT.plus(MARGIN));
      assertThat(outcome.error())
          .as("%s: a SessionServiceException", outcome)
          .get()
          .isInstanceOf(SessionServiceException.class);
      assertThat(outcome.kind()).as("%s: kind", outcome).contains(Kind.DATABASE);
      assertThat(Calls.printed(outcome.error().orElseThrow()))
          .as("%s: the whole trace", outcome)
          .doesNotContain(PASSWORD);
    }
  }

  /**
   * Writers that keep saving their own sessions, remembering for each session the last write the
   * store acknowledged and every write tried after it (a write that failed may still have been
   * committed just before the connection died).
   */
  private static final class Writers {
    private final ManagedSessionStore store;
    private final int count;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Map<SessionId, List<SessionRecord>>> possibleFinal = new ArrayList<>();
    private final ConcurrentLinkedQueue<Calls.Outcome> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger successes = new AtomicInteger();
    private volatile CountDownLatch progress;
    private volatile CountDownLatch failed;

    Writers(ManagedSessionStore store, int count) {
      this.store = store;
      this.count = count;
      this.progress = new CountDownLatch(count * 20);
      for (int i = 0; i < count; i++) {
        possibleFinal.add(new HashMap<>());
      }
    }

    void start() {
      for (int i = 0; i < count; i++) {
        int worker = i;
        Thread thread = new Thread(() -> write(worker), "outage-writer-" + worker);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void write(int worker) {
      Map<SessionId, List<SessionRecord>> mine = possibleFinal.get(worker);
      List<SessionRecord> sessions = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        sessions.add(session("writer-" + worker, 0));
      }
      int version = 0;
      while (!stop.get()) {
        SessionRecord previous = sessions.get(version % sessions.size());
        Map<String, Object> data = new HashMap<>(previous.data());
        data.put("version", ++version);
        SessionRecord next = new SessionRecord(previous.id(), data, previous.expiryDate());
        List<SessionRecord> possible = mine.computeIfAbsent(next.id(), id -> new ArrayList<>());
        possible.add(next);
        long begin = System.nanoTime();
        try {
          store.save(next);
          // acknowledged: from now on the row holds this version or a later one
          possible.clear();
          possible.add(next);
          sessions.set((version - 1) % sessions.size(), next);
          successes.incrementAndGet();
          progress.countDown();
        } catch (RuntimeException e) {
          failures.add(
              new Calls.Outcome(
                  "save", Duration.ofNanos(System.nanoTime() - begin), true, Optional.of(e)));
          CountDownLatch latch = failed;
          if (latch != null) {
            latch.countDown();
          }
        }
      }
    }

    /** Counts down once every writer has saved {@code saves} more times, in total. */
    CountDownLatch expectSaves(int saves) {
      progress = new CountDownLatch(saves);
      return progress;
    }

    /** Counts down once the writers have failed {@code times} times, in total. */
    CountDownLatch expectFailures(int times) {
      failed = new CountDownLatch(times);
      return failed;
    }

    void stop() throws InterruptedException {
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thread.isAlive()).as("%s ended", thread.getName()).isFalse();
      }
    }
  }

  @Nested
  class WhenTheServerStopsAndComesBack {

    @Test
    void calls_fail_within_the_timeout_then_the_same_store_recovers_and_no_row_is_lost()
        throws Exception {
      try (SessionStoreBackend store = SessionStoreBackend.connect(freshSchemaUrl(), config())) {
        List<SessionRecord> before = new ArrayList<>();
        Map<SessionId, SessionRecord> storedBefore = new HashMap<>();
        for (int i = 0; i < 200; i++) {
          SessionRecord record = session("before-" + (i % 20), i);
          store.save(record);
          before.add(record);
          storedBefore.put(record.id(), store.load(record.id()).orElseThrow());
        }
        Writers writers = new Writers(store, 4);
        writers.start();
        assertThat(writers.progress.await(30, TimeUnit.SECONDS))
            .as("the writers made progress before the outage")
            .isTrue();
        assertThat(writers.failures).as("failures before the outage").isEmpty();

        CountDownLatch writersFailed = writers.expectFailures(4);
        server.stop("fast");
        List<Calls.Outcome> outage =
            Calls.timeAll(
                store,
                Calls.everyKindOfCall(before.get(0), "before-0"),
                CONNECTION_TIMEOUT.plus(MARGIN).multipliedBy(2));
        assertThat(writersFailed.await(CONNECTION_TIMEOUT.plus(MARGIN).toMillis(), MILLIS))
            .as("the writers' calls failed too, rather than hanging")
            .isTrue();

        server.restart();
        Optional<Duration> recovered =
            Calls.waitUntil(
                RECOVERY,
                () ->
                    content(store.load(before.get(0).id()))
                        .equals(Optional.of(content(before.get(0)))));
        CountDownLatch savesAfter = writers.expectSaves(40);
        boolean writersRecovered = savesAfter.await(RECOVERY.toMillis() * 2, MILLIS);
        writers.stop();

        assertFailedFastAndClearly(outage);
        assertFailedFastAndClearly(List.copyOf(writers.failures));
        assertThat(recovered)
            .as("calls succeed again within %s of the restart, on the same store", RECOVERY)
            .isPresent();
        assertThat(writersRecovered).as("the writers save again after the restart").isTrue();
        for (SessionRecord record : before) {
          Optional<SessionRecord> stored = store.load(record.id());
          assertThat(content(stored))
              .as("a row written before the outage")
              .contains(content(record));
          // the calls that failed during the outage wrote nothing: same times, same revision
          assertThat(stored)
              .as("a row written before the outage, untouched since")
              .contains(storedBefore.get(record.id()));
        }
        for (Map<SessionId, List<SessionRecord>> sessions : writers.possibleFinal) {
          sessions.forEach(
              (id, possible) -> {
                Optional<SessionRecord> stored = content(store.load(id));
                if (possible.size() == 1) {
                  // acknowledged and not written since: must be there, exactly
                  assertThat(stored).as("an acknowledged write").contains(content(possible.get(0)));
                } else {
                  // an unacknowledged write may or may not have landed; only these values may
                  stored.ifPresent(
                      record ->
                          assertThat(possible.stream().map(Records::content)).contains(record));
                }
              });
        }
      }
    }
  }

  @Nested
  class WhenTheServerFreezes {

    @Test
    void calls_fail_within_the_timeout_instead_of_hanging_and_work_once_it_thaws()
        throws Exception {
      try (SessionStoreBackend store = SessionStoreBackend.connect(freshSchemaUrl(), config())) {
        SessionRecord known = session("frozen", 1);
        store.save(known);
        // every pooled connection has just been used, as under load
        Calls.timeAll(store, Calls.everyKindOfCall(known, "frozen"), Duration.ofSeconds(30));
        store.save(known);

        List<Calls.Outcome> frozen;
        server.freeze();
        try {
          frozen =
              Calls.timeAll(
                  store,
                  Calls.everyKindOfCall(known, "frozen"),
                  CONNECTION_TIMEOUT.plus(MARGIN).plusSeconds(1));
        } finally {
          server.thaw();
        }

        // A fresh session proves recovery: the frozen calls included a delete and a clear of
        // `known`, which the server still runs once thawed, in an order the test cannot know.
        SessionRecord thawed = session("thawed", 2);
        Optional<Duration> recovered =
            Calls.waitUntil(
                RECOVERY,
                () -> {
                  store.save(thawed);
                  return content(store.load(thawed.id())).equals(Optional.of(content(thawed)));
                });
        assertThat(recovered).as("the store works again once the server runs").isPresent();
        assertFailedFastAndClearly(frozen);
      }
    }
  }

  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;
}

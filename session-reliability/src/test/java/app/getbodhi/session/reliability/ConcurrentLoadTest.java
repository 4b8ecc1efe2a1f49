package app.getbodhi.session.reliability;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.Concurrently;
import app.getbodhi.session.tck.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Sixteen threads on one store, a bounded mix of every call, on both backends: no errors, nothing
 * lost, nothing corrupted (see {@link StoreLoad} for the model each thread checks against). A few
 * seconds per backend; {@link SoakTest} runs the same load for minutes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConcurrentLoadTest {

  static final int THREADS = 16;
  static final int OPERATIONS_PER_THREAD = 250;

  static void assertClean(StoreLoad.Result result) {
    System.out.println("load: " + result);
    assertThat(result.errors()).as("store errors (%s)", result).isEmpty();
    assertThat(result.problems()).as("disagreements with the model (%s)", result).isEmpty();
    assertThat(result.lost()).as("lost sessions").isZero();
    assertThat(result.corrupted()).as("corrupted sessions").isZero();
    assertThat(result.verified()).as("sessions checked at the end").isPositive();
  }

  /** Runs the bounded mix on a new store over the database and checks it ran clean. */
  private static void runsClean(TestDatabase db, long seed) throws Exception {
    try (SessionStoreBackend store =
        SessionStoreBackend.connect(db.url(), SessionStoreConfig.defaults())) {
      StoreLoad.Result result =
          new StoreLoad(store, THREADS, seed).run(OPERATIONS_PER_THREAD, Optional.empty());

      assertClean(result);
      assertThat(result.operations()).isEqualTo((long) THREADS * OPERATIONS_PER_THREAD);
      assertThat(result.maxWritesInFlight()).as("writers overlapped").isGreaterThan(1);
    }
  }

  @Nested
  class OnSqlite {

    @Test
    void sixteen_threads_of_mixed_calls_see_no_error_and_lose_or_corrupt_no_session()
        throws Exception {
      try (SqliteFixture db = SqliteFixture.tempFile()) {
        runsClean(db, 1);

        assertThat(db.queryStrings("PRAGMA integrity_check")).containsExactly("ok");
      }
    }

    @Test
    void sixteen_writers_at_once_wait_for_the_write_lock_instead_of_failing_with_sqlite_busy()
        throws Exception {
      // one connection per writer, so all sixteen really contend for SQLite's single write lock
      SessionStoreConfig config = SessionStoreConfig.defaults().withMaximumPoolSize(THREADS);
      try (SqliteFixture db = SqliteFixture.tempFile();
          SessionStoreBackend store = SessionStoreBackend.connect(db.url(), config)) {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<Callable<List<SessionRecord>>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          writers.add(
              () -> {
                List<SessionRecord> written = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                  SessionRecord record =
                      new SessionRecord(
                          SessionId.generate(),
                          Map.of("user_id", "writer-" + thread, "i", (long) i),
                          Instant.now().plusSeconds(3600));
                  maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  try {
                    store.save(record);
                  } finally {
                    inFlight.decrementAndGet();
                  }
                  written.add(record);
                }
                return written;
              });
        }

        // any SQLITE_BUSY would surface here as a failed thread
        List<List<SessionRecord>> written = Concurrently.runAtOnce(writers);

        assertThat(maxInFlight.get()).as("writes running at one moment").isGreaterThan(1);
        assertThat(db.sessionRowCount()).isEqualTo((long) THREADS * 60);
        for (List<SessionRecord> records : written) {
          for (SessionRecord record : records) {
            assertThat(content(store.load(record.id()))).contains(content(record));
          }
        }
      }
    }
  }

  @Nested
  class OnPostgres {

    @Test
    void sixteen_threads_of_mixed_calls_see_no_error_and_lose_or_corrupt_no_session()
        throws Exception {
      try (TestDatabase db = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
        runsClean(db, 2);
      }
    }
  }
}

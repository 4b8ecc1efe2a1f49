package app.getbodhi.session.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One-session operations and the request cycle, on a table of {@link BenchData#POINT_ROWS} sessions
 * (plus what {@code create} adds), for each implementation. Threads come from the runner (1 and 8).
 * Each thread writes only its own sessions, so writers never wait on each other's rows (SQLite's
 * single writer lock is another matter: that is the backend).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PointBenchmark {

  /** Sessions each thread owns for its writes. */
  static final int SLICE = BenchData.POINT_ROWS / 10;

  @Param({"sqlite", "postgres", "mariadb"})
  public String backend;

  @Param({"ours", "raw", "rawReuse", "spring"})
  public String impl;

  Impl ops;

  // delete: sessions inserted before each iteration, taken in turn
  private String[] victims = new String[0];
  private final AtomicInteger victimCursor = new AtomicInteger();
  private final AtomicLong missingVictims = new AtomicLong();
  private int victimBatch;

  @Setup(Level.Trial)
  public void open() throws java.sql.SQLException {
    BenchDb db = BenchDb.of(backend, "point");
    resetTables(db);
    ops = Impl.open(impl, db);
    victimBatch = "spring".equals(impl) ? 8_000 : 30_000;
  }

  /**
   * Starts every run from the same state. The sessions {@code create} made and the unused victims
   * of {@code delete} go, from every implementation's table: each implementation has its own table
   * (ours sealed, raw JDBC's plain copy, Spring's), and only the implementations a run measures
   * grow theirs, so without this a later run would find ours on a table several times the size of
   * raw JDBC's. Then the writes of the run before are checkpointed and the WAL emptied (SQLite), or
   * dirty pages written and dead rows vacuumed (PostgreSQL), so no run pays for another's writes;
   * InnoDB (MariaDB) purges and flushes in the background, with nothing to ask for.
   */
  static void resetTables(BenchDb db) throws java.sql.SQLException {
    String users = "('" + Impl.CREATED_USER + "', '" + Impl.VICTIM_USER + "')";
    // foreign keys on: Spring's attribute rows go with their session by ON DELETE CASCADE
    try (com.zaxxer.hikari.HikariDataSource pool = db.openPool(1, true);
        java.sql.Connection connection = pool.getConnection();
        java.sql.Statement statement = connection.createStatement()) {
      int removed = 0;
      for (String table : List.of(Fixtures.TABLE, Fixtures.PLAIN_TABLE)) {
        removed += statement.executeUpdate("DELETE FROM " + table + " WHERE user_id IN " + users);
      }
      removed +=
          statement.executeUpdate("DELETE FROM SPRING_SESSION WHERE PRINCIPAL_NAME IN " + users);
      if (db.backend == BenchDb.Backend.SQLITE) {
        statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } else if (db.backend == BenchDb.Backend.POSTGRES) {
        if (removed > 0) {
          for (String table :
              List.of(
                  Fixtures.TABLE,
                  Fixtures.PLAIN_TABLE,
                  "SPRING_SESSION",
                  "SPRING_SESSION_ATTRIBUTES")) {
            statement.execute("VACUUM ANALYZE " + table);
          }
        }
        statement.execute("CHECKPOINT");
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (missingVictims.get() > 0) {
      System.err.println(
          "WARNING: delete ran out of prepared sessions "
              + missingVictims.get()
              + " times; those deletes hit an absent id");
    }
    ops.close();
  }

  @Setup(Level.Iteration)
  public void prepareVictims(BenchmarkParams params) throws Exception {
    if (!params.getBenchmark().endsWith(".delete")) {
      return;
    }
    // enough for this iteration, judging by how many deletes the last one tried (those that found
    // no victim included: capped at the batch, the estimate could never outgrow a short batch)
    int needed = Math.max(victimBatch, victimCursor.get() * 3 / 2);
    victims = ops.insertVictims(needed);
    victimCursor.set(0);
  }

  /** Per-thread: a random stream and the thread's own slice of sessions. */
  @State(Scope.Thread)
  public static class Caller {
    private static final AtomicInteger THREADS = new AtomicInteger();
    SplittableRandom random;
    int own;
    int cursor;
    long visits;

    @Setup(Level.Trial)
    public void setup() {
      int thread = THREADS.getAndIncrement() % 10;
      random = new SplittableRandom(thread * 31L + 17);
      own = thread * SLICE;
    }

    int anySession() {
      return random.nextInt(BenchData.POINT_ROWS);
    }

    int unknown() {
      return random.nextInt(Impl.UNKNOWN);
    }

    /** The next of the thread's own sessions, never its first (which {@code save} uses). */
    int nextOwn() {
      cursor = cursor % (SLICE - 1) + 1;
      return own + cursor;
    }
  }

  @Benchmark
  public Object loadExisting(Caller caller) {
    return ops.load(caller.anySession());
  }

  @Benchmark
  public Object loadUnknown(Caller caller) {
    return ops.loadUnknown(caller.unknown());
  }

  @Benchmark
  public void save(Caller caller) {
    ops.save(caller.own, ++caller.visits);
  }

  @Benchmark
  public Object create() {
    return ops.create();
  }

  @Benchmark
  public void delete() {
    int next = victimCursor.getAndIncrement();
    String[] current = victims;
    if (next < current.length) {
      ops.delete(current[next]);
    } else {
      missingVictims.incrementAndGet();
      ops.delete(Impl.UNKNOWN_IDS[next % Impl.UNKNOWN]);
    }
  }

  @Benchmark
  public Object requestReadOnly(Caller caller) {
    return ops.readRequest(caller.anySession());
  }

  @Benchmark
  public void requestChanging(Caller caller) {
    ops.writeRequest(caller.nextOwn(), ++caller.visits);
  }
}

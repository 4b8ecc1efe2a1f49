package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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

/**
 * Latency against table size: {@code load}, {@code countSessionsForUser}, {@code
 * getSessionsForUser} and {@code clearSessionsForUser} on tables of 10 thousand, 100 thousand and 1
 * million sessions, every user holding {@value BenchData#SESSIONS_PER_USER}. One thread: the
 * question is how cost grows with the table, which the indexes must keep flat.
 *
 * <p>The tables hold sealed rows. Raw JDBC (full profile only) runs the store's statements on them:
 * its {@code load} looks the row up by its row key (hashing the id, as the store does, about half a
 * microsecond) and returns the sealed bytes unopened.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScaleBenchmark {

  /** The user whose five sessions {@code clear} deletes (re-inserted before every call). */
  static final String CLEAR_USER = "bench-clear-user";

  @Param({"sqlite", "postgres"})
  public String backend;

  @Param({"10000", "100000", "1000000"})
  public int size;

  @Param({"ours", "raw"})
  public String impl;

  ManagedSessionStore store;
  PlainJdbc jdbc;
  final SplittableRandom random = new SplittableRandom(42);

  @Setup(Level.Trial)
  public void open() {
    BenchDb db = BenchDb.of(backend, "s" + size);
    // ours only needs the pool to refill clear's sessions
    jdbc = new PlainJdbc(db, "ours".equals(impl) ? 1 : BenchDb.POOL_SIZE, false);
    if ("ours".equals(impl)) {
      store = db.openOurs();
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (store != null) {
      store.close();
    }
    jdbc.close();
  }

  private long anyRow() {
    return random.nextLong(size);
  }

  private String anyUser() {
    return BenchData.user(anyRow());
  }

  /** Puts the five sessions of {@link #CLEAR_USER} back before each {@code clear}. */
  @State(Scope.Thread)
  public static class ClearTarget {
    @Setup(Level.Invocation)
    public void refill(ScaleBenchmark bench) throws SQLException {
      byte[] data = BenchData.json(BenchData.data(CLEAR_USER, 1, 0));
      Instant expiry = Instant.now().plus(BenchData.EXPIRY);
      Fixtures.insertInto(
          bench.jdbc.db,
          bench.jdbc.pool,
          Fixtures.TABLE,
          BenchData.SESSIONS_PER_USER,
          Fixtures.sealed(
              i -> new Fixtures.Row(SessionId.generate().value(), data, expiry, CLEAR_USER)));
    }
  }

  @Benchmark
  public Object load() {
    SessionId id = BenchData.id(BenchData.SCALE_SEED, anyRow());
    if (store != null) {
      return store.load(id);
    }
    // key, data, ...: the data, sealed
    return jdbc.query(
        jdbc.storeSql("load"), Fixtures.rowKey(id), rows -> rows.next() ? rows.getBytes(2) : null);
  }

  /**
   * One of the per-user queries, on any user: through our store, or as the store's statement of the
   * same name through plain JDBC.
   */
  private <T> T forAnyUser(String query, Function<String, T> ours, PlainJdbc.RowsReader<T> raw) {
    String user = anyUser();
    return store != null ? ours.apply(user) : jdbc.query(jdbc.storeSql(query), user, raw);
  }

  @Benchmark
  public int countSessionsForUser() {
    return forAnyUser(
        "countSessionsForUser",
        user -> store.countSessionsForUser(user),
        rows -> {
          rows.next();
          return rows.getInt(1);
        });
  }

  @Benchmark
  public Object getSessionsForUser() {
    return forAnyUser(
        "getSessionsForUser",
        user -> store.getSessionsForUser(user),
        rows -> {
          List<Object> sessions = new ArrayList<>();
          while (rows.next()) {
            // the columns the store reads for a summary: ref, user, expiry and both times
            sessions.add(
                Arrays.asList(
                    rows.getString(1),
                    rows.getString(2),
                    jdbc.db.expiry.read(rows, 3),
                    jdbc.db.expiry.read(rows, 4),
                    jdbc.db.expiry.read(rows, 5)));
          }
          return sessions;
        });
  }

  @Benchmark
  public int clearSessionsForUser(ClearTarget target) {
    if (store != null) {
      return store.clearSessionsForUser(CLEAR_USER);
    }
    return jdbc.with(
        jdbc.storeSql("clearSessionsForUser"),
        statement -> {
          statement.setString(1, CLEAR_USER);
          return statement.executeUpdate();
        });
  }
}

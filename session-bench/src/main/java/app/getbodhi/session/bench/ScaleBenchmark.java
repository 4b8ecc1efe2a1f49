package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

  BenchDb db;
  ManagedSessionStore store;
  HikariDataSource pool;
  Map<String, String> sql;
  final SplittableRandom random = new SplittableRandom(42);

  @Setup(Level.Trial)
  public void open() {
    db = BenchDb.of(backend, "s" + size);
    pool = db.openPool("ours".equals(impl) ? 1 : BenchDb.POOL_SIZE);
    sql = db.wrap(pool).statements();
    if ("ours".equals(impl)) {
      store = db.openOurs();
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (store != null) {
      store.close();
    }
    pool.close();
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
          bench.db,
          bench.pool,
          Fixtures.TABLE,
          BenchData.SESSIONS_PER_USER,
          Fixtures.sealed(
              i -> new Fixtures.Row(SessionId.generate().value(), data, expiry, CLEAR_USER)));
    }
  }

  @Benchmark
  public Object load() throws SQLException {
    long row = anyRow();
    if (store != null) {
      return store.load(BenchData.id(BenchData.SCALE_SEED, row));
    }
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql.get("load"))) {
      statement.setString(1, Fixtures.rowKey(BenchData.id(BenchData.SCALE_SEED, row)));
      db.expiry.bind(statement, 2, Instant.now());
      try (ResultSet rows = statement.executeQuery()) {
        // key, data, ...: the data, sealed
        return rows.next() ? rows.getBytes(2) : null;
      }
    }
  }

  @Benchmark
  public int countSessionsForUser() throws SQLException {
    String user = anyUser();
    if (store != null) {
      return store.countSessionsForUser(user);
    }
    try (Connection connection = pool.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(sql.get("countSessionsForUser"))) {
      statement.setString(1, user);
      db.expiry.bind(statement, 2, Instant.now());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  @Benchmark
  public Object getSessionsForUser() throws SQLException {
    String user = anyUser();
    if (store != null) {
      return store.getSessionsForUser(user);
    }
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql.get("getSessionsForUser"))) {
      statement.setString(1, user);
      db.expiry.bind(statement, 2, Instant.now());
      List<Object> sessions = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          // the columns the store reads for a summary: ref, user, expiry and both times
          sessions.add(
              java.util.Arrays.asList(
                  rows.getString(1),
                  rows.getString(2),
                  db.expiry.read(rows, 3),
                  db.expiry.read(rows, 4),
                  db.expiry.read(rows, 5)));
        }
      }
      return sessions;
    }
  }

  @Benchmark
  public int clearSessionsForUser(ClearTarget target) throws SQLException {
    if (store != null) {
      return store.clearSessionsForUser(CLEAR_USER);
    }
    try (Connection connection = pool.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(sql.get("clearSessionsForUser"))) {
      statement.setString(1, CLEAR_USER);
      return statement.executeUpdate();
    }
  }
}

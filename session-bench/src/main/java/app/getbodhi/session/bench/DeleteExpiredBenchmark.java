package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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
 * {@code deleteExpired} over a table of expired sessions (plus 10 thousand live ones it must leave
 * alone): each measured call purges all of them, in the store's bounded batches. Single shot:
 * before every call the table is emptied and refilled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DeleteExpiredBenchmark {

  static final int LIVE_ROWS = 10_000;

  @Param({"sqlite", "postgres"})
  public String backend;

  @Param({"100000", "1000000"})
  public int rows;

  @Param({"ours", "raw"})
  public String impl;

  ManagedSessionStore store;
  PlainJdbc jdbc;

  @Setup(Level.Trial)
  public void open() {
    BenchDb db = BenchDb.of(backend, "expired");
    jdbc = new PlainJdbc(db, BenchDb.POOL_SIZE, false);
    if ("ours".equals(impl)) {
      store = db.openOurs();
    }
  }

  @Setup(Level.Iteration)
  public void fill() throws SQLException {
    try (Connection connection = jdbc.pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("DELETE FROM " + Fixtures.TABLE);
    }
    // rows of the sealed shape: row keys, and data of the sealed size; one sealed value serves for
    // all, since the purge never opens it (sealing a million values would only slow the refill)
    byte[] data =
        Fixtures.sealed(
                i ->
                    new Fixtures.Row(
                        BenchData.idValue(0xE1L, 0),
                        BenchData.json(BenchData.data("expired-user", 1, 0)),
                        Instant.EPOCH,
                        null))
            .apply(0)
            .data();
    Instant past = Instant.now().minusSeconds(3600);
    Instant future = Instant.now().plus(BenchData.EXPIRY);
    long step = (rows + LIVE_ROWS) / LIVE_ROWS;
    Fixtures.insert(
        jdbc.db,
        jdbc.pool,
        rows + LIVE_ROWS,
        i -> Fixtures.rowKey(BenchData.id(0xE1L, i)),
        i -> {
          // about LIVE_ROWS live sessions spread through the table
          boolean live = i % step == 0;
          return new Fixtures.Row(
              Fixtures.rowKey(BenchData.id(0xE1L, i)),
              data,
              live ? future : past.minusMillis(i % 100_000),
              BenchData.user(i));
        });
    if (jdbc.db.backend == BenchDb.Backend.POSTGRES) {
      try (Connection connection = jdbc.pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("VACUUM ANALYZE " + Fixtures.TABLE);
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (store != null) {
      store.close();
    }
    jdbc.close();
  }

  @Benchmark
  public int deleteExpired() throws SQLException {
    if (store != null) {
      return store.deleteExpired();
    }
    String batchSql = jdbc.storeSql("deleteExpired");
    Instant now = Instant.now();
    int total = 0;
    int deleted;
    try (Connection connection = jdbc.pool.getConnection()) {
      do {
        try (PreparedStatement statement = connection.prepareStatement(batchSql)) {
          jdbc.db.expiry.bind(statement, 1, now);
          deleted = statement.executeUpdate();
        }
        total += deleted;
      } while (deleted >= SessionStoreConfig.DEFAULT_DELETE_BATCH_SIZE);
    }
    return total;
  }
}

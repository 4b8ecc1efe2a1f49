package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.jooq.StoreProbe;
import java.io.IOException;
import java.sql.SQLException;
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
 * A sealed {@code load} taken apart in place, on the point table, one thread: each method adds one
 * step to the one before, so the differences say what each step costs between database calls, where
 * the CPU caches hold the driver's and the database's data rather than the cipher's (which {@link
 * SealingBenchmark}, timing the steps alone, cannot show).
 *
 * <ol>
 *   <li>{@code plainSelect}: the store's {@code load} statement on {@link Fixtures#PLAIN_TABLE} by
 *       id, every column read as the store reads them;
 *   <li>{@code sealedSelect}: the id hashed into its row key, the same statement on the store's
 *       table;
 *   <li>{@code sealedSelectOpen}: and the data opened;
 *   <li>{@code sealedSelectOpenParse}: and the JSON parsed (Jackson into a map, a proxy for the
 *       store's own parser);
 *   <li>{@code storeLoad}: the store's {@code load} itself.
 * </ol>
 *
 * <p>The hand-written steps take a connection from a pool and keep its prepared statement, as the
 * store's SQLite pool does, so that the last step differs from the one before only by the store's
 * own code (the record and its validation, the statement cache's parameter clearing).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LoadBreakdownBenchmark {

  @Param({"sqlite", "postgres"})
  public String backend;

  ManagedSessionStore store;
  PlainJdbc jdbc;
  String plainSql;
  String sealedSql;
  final SplittableRandom random = new SplittableRandom(7);

  @Setup(Level.Trial)
  public void open() throws SQLException {
    BenchDb db = BenchDb.of(backend, "point");
    PointBenchmark.resetTables(db);
    store = db.openOurs();
    jdbc = new PlainJdbc(db, BenchDb.POOL_SIZE, true);
    sealedSql = jdbc.storeSql("load");
    plainSql = Impl.Raw.onPlainTable(sealedSql);
  }

  @TearDown(Level.Trial)
  public void close() {
    store.close();
    jdbc.close();
  }

  /** A row as the store reads it: its data, the rest read and dropped. */
  private byte[] select(String sql, String key) {
    return jdbc.query(
        sql,
        key,
        rows -> {
          if (!rows.next()) {
            throw new IllegalStateException("no row for a fixture session");
          }
          // key, data, expiry, created, last accessed, timeout, revision
          rows.getString(1);
          byte[] data = rows.getBytes(2);
          jdbc.db.expiry.read(rows, 3);
          jdbc.db.expiry.read(rows, 4);
          jdbc.db.expiry.read(rows, 5);
          rows.getInt(6);
          rows.wasNull();
          rows.getLong(7);
          return data;
        });
  }

  private int anySession() {
    return random.nextInt(BenchData.POINT_ROWS);
  }

  @Benchmark
  public byte[] plainSelect() {
    return select(plainSql, Impl.IDS[anySession()]);
  }

  @Benchmark
  public byte[] sealedSelect() {
    return select(sealedSql, Fixtures.rowKey(Impl.SESSION_IDS[anySession()]));
  }

  @Benchmark
  public byte[] sealedSelectOpen() {
    return open(Impl.SESSION_IDS[anySession()]);
  }

  @Benchmark
  public Map<String, Object> sealedSelectOpenParse() throws IOException {
    return BenchData.parse(open(Impl.SESSION_IDS[anySession()]));
  }

  @Benchmark
  public Object storeLoad() {
    return store.load(Impl.SESSION_IDS[anySession()]).orElseThrow();
  }

  private byte[] open(SessionId id) {
    StoreProbe.Keys keys = Fixtures.SEALING.keys(id);
    return Fixtures.SEALING
        .open(keys, select(sealedSql, keys.rowKey()))
        .orElseThrow(() -> new IllegalStateException("a fixture session failed to open"));
  }
}

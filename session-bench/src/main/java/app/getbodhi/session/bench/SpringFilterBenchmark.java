package app.getbodhi.session.bench;

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
 * The request cycle of Spring Session's own {@code SessionRepositoryFilter} ({@link FilterCycle}),
 * over our {@code BodhiSessionRepository} and over Spring Session JDBC's {@code
 * JdbcIndexedSessionRepository}, on the point benchmarks' database: the same {@link
 * BenchData#POINT_ROWS} sessions in each implementation's table, each implementation on the same
 * kind of pool ({@link Impl.Ours}, {@link Impl.Spring}). Threads come from the runner (1 and 8).
 *
 * <p>A read-only request picks any session at random; a changing one takes the thread's own
 * sessions in turn, as {@link PointBenchmark}'s request cycle does, so writers never wait on each
 * other's rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpringFilterBenchmark {

  @Param({"sqlite", "postgres"})
  public String backend;

  @Param({"ours", "spring"})
  public String impl;

  Impl ops;
  FilterCycle cycle;

  @Setup(Level.Trial)
  public void open() throws java.sql.SQLException {
    BenchDb db = BenchDb.of(backend, "point");
    // the same starting state as every point run: no leftovers of create and delete, WAL emptied
    PointBenchmark.resetTables(db);
    ops = Impl.open(impl, db);
    cycle = FilterCycle.over(ops);
    // a cycle that found no session would fail in the benchmark; check it reads the fixture's
    if (!(cycle.readOnly(Impl.IDS[0]) instanceof Number)) {
      throw new IllegalStateException(impl + ": the filter reads no visit count from session 0");
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    ops.close();
  }

  @Benchmark
  public Object filterReadOnly(PointBenchmark.Caller caller) {
    return cycle.readOnly(Impl.IDS[caller.anySession()]);
  }

  @Benchmark
  public Object filterChanging(PointBenchmark.Caller caller) {
    return cycle.changing(Impl.IDS[caller.nextOwn()]);
  }
}

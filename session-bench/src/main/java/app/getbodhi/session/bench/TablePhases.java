package app.getbodhi.session.bench;

import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The phases on large tables: how cost grows with the session count ({@link ScaleBenchmark}), and
 * how fast expired sessions go ({@link DeleteExpiredBenchmark}).
 */
final class TablePhases {

  /** {@link ScaleBenchmark}'s operations, in the report's order. */
  static final List<String> SCALE_OPS =
      List.of("load", "countSessionsForUser", "getSessionsForUser", "clearSessionsForUser");

  /** The scale tables' sizes, as the rows name them. */
  static final List<String> SIZES = List.of("10k", "100k", "1M");

  private TablePhases() {}

  /** The name a scale figure is recorded under: {@code load @1M}. */
  static String scaleOp(String op, String size) {
    return op + " @" + size;
  }

  /** The name a clean-up rate is recorded under. */
  static String expiredOp(String size) {
    return "deleteExpired " + size + " (rows/s)";
  }

  static String shortSize(int size) {
    return size >= 1_000_000 ? size / 1_000_000 + "M" : size / 1000 + "k";
  }

  static void scale(BenchRun run, List<BenchDb.Backend> backends) throws RunnerException {
    for (BenchDb.Backend backend : backends) {
      String tag = "scale-" + backend.label();
      ChainedOptionsBuilder options =
          run.options(tag)
              .include(ScaleBenchmark.class.getName() + "\\.")
              .param("backend", backend.label())
              .threads(1)
              .warmupIterations(1)
              .warmupTime(TimeValue.seconds(1))
              // quick: SQLite's load growth is near its limit and one second is too noisy for it;
              // PostgreSQL's growth figures sit far from theirs
              .measurementIterations(run.full() ? 3 : backend == BenchDb.Backend.SQLITE ? 2 : 1)
              .measurementTime(TimeValue.seconds(run.full() ? 2 : 1));
      if (!run.full()) {
        options.param("impl", Results.OURS);
      }
      for (RunResult result : run.jmh(options, tag)) {
        double micros = result.getPrimaryResult().getScore();
        int size = Integer.parseInt(result.getParams().getParam("size"));
        run.results.add(
            new Results.Row(
                scaleOp(BenchRun.method(result), shortSize(size)),
                backend.label(),
                1,
                result.getParams().getParam("impl"),
                1e6 / micros));
      }
    }
  }

  static void expired(BenchRun run, List<BenchDb.Backend> backends) throws RunnerException {
    for (BenchDb.Backend backend : backends) {
      for (int rows : new int[] {100_000, 1_000_000}) {
        String[] impls =
            rows < 1_000_000 || run.full()
                ? new String[] {Results.OURS, "raw"}
                : new String[] {Results.OURS};
        String tag = "expired-" + backend.label() + "-" + rows;
        ChainedOptionsBuilder options =
            run.options(tag)
                .include(DeleteExpiredBenchmark.class.getName() + "\\.")
                .param("backend", backend.label())
                .param("rows", String.valueOf(rows))
                .param("impl", impls)
                .threads(1)
                .warmupIterations(0)
                .measurementIterations(run.full() ? 3 : 1);
        for (RunResult result : run.jmh(options, tag)) {
          double millis = result.getPrimaryResult().getScore();
          run.results.add(
              new Results.Row(
                  expiredOp(shortSize(rows)),
                  backend.label(),
                  1,
                  result.getParams().getParam("impl"),
                  rows / (millis / 1000.0)));
        }
      }
    }
  }
}

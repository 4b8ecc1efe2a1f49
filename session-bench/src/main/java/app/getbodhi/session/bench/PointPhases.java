package app.getbodhi.session.bench;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The phases on the point table: {@link PointBenchmark} (one-session operations and the request
 * cycle), {@link SpringFilterBenchmark} (Spring Session's own filter over both repositories), and
 * where a load's time goes ({@link SealingBenchmark}, {@link LoadBreakdownBenchmark}).
 */
final class PointPhases {

  /** {@link PointBenchmark}'s operations, in the report's order. */
  static final List<String> POINT_OPS =
      List.of(
          "loadExisting",
          "loadUnknown",
          "save",
          "create",
          "delete",
          "requestReadOnly",
          "requestChanging");

  /** Quick profile: where raw JDBC runs beside ours (the targets' comparisons). */
  static final List<String> RAW_QUICK =
      List.of("loadExisting", "save", "requestReadOnly", "requestChanging");

  /** Quick profile: where Spring Session JDBC runs beside ours. */
  static final List<String> SPRING_QUICK =
      List.of("loadExisting", "requestReadOnly", "requestChanging");

  /** {@link SpringFilterBenchmark}'s operations. */
  static final List<String> FILTER_OPS = List.of("filterReadOnly", "filterChanging");

  /** {@link WebFluxBenchmark}'s operations. */
  static final List<String> WEBFLUX_OPS = List.of("webfluxReadOnly", "webfluxChanging");

  /** {@link WebFluxBenchmark}'s ceiling: Spring Session's sessions in a map. */
  static final String MEMORY = "memory";

  static final int[] THREADS = {1, 8};

  private PointPhases() {}

  static void point(BenchRun run, List<BenchDb.Backend> backends) throws RunnerException {
    if (!run.full()) {
      // forks=0: give the JIT each backend's paths (pool, driver, JSON, sealing, the request
      // cycle) before anything is recorded; otherwise the first implementation measured on a
      // backend pays for compiling them. On two busy cores the compiler threads get little time:
      // a store's load on MariaDB took some thousand calls to reach its compiled speed
      for (BenchDb.Backend backend : backends) {
        run.jitWarmUp(
            PointBenchmark.class,
            "loadExisting|save|requestReadOnly|requestChanging",
            backend,
            List.of("ours", "raw", "spring"));
      }
    }
    for (BenchDb.Backend backend : backends) {
      for (int threads : THREADS) {
        String tag = "point-" + backend.label() + "-t" + threads;
        for (String op : POINT_OPS) {
          List<String> impls = new ArrayList<>(List.of(Results.OURS));
          if (run.full() || RAW_QUICK.contains(op)) {
            impls.add("raw");
            // the store reuses statements only on SQLite (the PostgreSQL and MariaDB drivers
            // cache or prepare on their own), so that is where the lower floor tells something
            if (run.full() || backend == BenchDb.Backend.SQLITE) {
              impls.add("rawReuse");
            }
          }
          if (run.full() || SPRING_QUICK.contains(op)) {
            impls.add("spring");
          }
          run.measure(PointBenchmark.class, op, backend, threads, tag, impls, 1, 0);
        }
      }
    }
  }

  /**
   * Spring Session's filter over our repository and over Spring Session JDBC's, in the point
   * phase's way (quick: both orders, averaged), with a longer warm-up: each run opens new pools
   * (cold SQLite page caches) and follows the other repository's run, whose call sites the JIT has
   * to compile again; a request here climbed for about two seconds before it levelled off.
   */
  static void springFilter(BenchRun run, List<BenchDb.Backend> backends) throws RunnerException {
    // forks=0: the filter, the mock servlet objects and Spring's JDBC code are new paths here
    pairs(run, backends, SpringFilterBenchmark.class, FILTER_OPS, "spring", "spring-filter", 2);
  }

  /**
   * WebFlux over real HTTP, our reactive repository against sessions in memory, in the point
   * phase's way. Each run starts a new server, whose first requests set up connections and buffers:
   * one warm-up second in both orders.
   */
  static void webflux(BenchRun run, List<BenchDb.Backend> backends) throws RunnerException {
    // forks=0: the server, the client and the reactive paths are new here
    pairs(run, backends, WebFluxBenchmark.class, WEBFLUX_OPS, MEMORY, "webflux", 1);
  }

  /**
   * Ours against {@code anchor} in each of {@code ops}, on every backend at 1 and 8 threads, after
   * an unrecorded JIT warm-up (quick profile), with {@code warmups} seconds before each measured
   * one.
   */
  private static void pairs(
      BenchRun run,
      List<BenchDb.Backend> backends,
      Class<?> benchmark,
      List<String> ops,
      String anchor,
      String tagPrefix,
      int warmups)
      throws RunnerException {
    List<String> impls = List.of(Results.OURS, anchor);
    if (!run.full()) {
      for (BenchDb.Backend backend : backends) {
        run.jitWarmUp(benchmark, String.join("|", ops), backend, impls);
      }
    }
    for (BenchDb.Backend backend : backends) {
      for (int threads : THREADS) {
        String tag = tagPrefix + "-" + backend.label() + "-t" + threads;
        for (String op : ops) {
          run.measure(benchmark, op, backend, threads, tag, impls, warmups, warmups);
        }
      }
    }
  }

  /**
   * {@link SealingBenchmark}: many short iterations, kept one by one, because a CPU-bound
   * microsecond on two shared cores is what another process's time slice disturbs most; the report
   * gives each step's median and its best iteration.
   */
  static void sealing(BenchRun run, List<BenchDb.Backend> unused) throws RunnerException {
    ChainedOptionsBuilder options =
        run.options("sealing")
            .include(SealingBenchmark.class.getName() + "\\.")
            .threads(1)
            .warmupIterations(run.full() ? 5 : 3)
            .warmupTime(TimeValue.milliseconds(200))
            .measurementIterations(run.full() ? 20 : 10)
            .measurementTime(TimeValue.milliseconds(200));
    for (RunResult result : run.jmh(options, "sealing (no database)")) {
      List<Double> scores =
          result.getBenchmarkResults().stream()
              .flatMap(b -> b.getIterationResults().stream())
              .map(i -> i.getPrimaryResult().getScore())
              .sorted()
              .toList();
      run.results.sealingNanos.put(
          BenchRun.method(result) + "/" + result.getParams().getParam("session"),
          new double[] {scores.get(scores.size() / 2), scores.get(0)});
    }
  }

  /**
   * {@link LoadBreakdownBenchmark}, on SQLite only: on the servers a load costs 70 to 100 µs and
   * moves by more than the whole of sealing between 1-second windows.
   */
  static void breakdown(BenchRun run, List<BenchDb.Backend> backends) throws RunnerException {
    ChainedOptionsBuilder options =
        run.options("breakdown")
            .include(LoadBreakdownBenchmark.class.getName() + "\\.")
            .param("backend", BenchDb.Backend.SQLITE.label())
            .threads(1)
            .warmupIterations(1)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(run.full() ? 5 : 3)
            .measurementTime(TimeValue.seconds(1));
    for (RunResult result : run.jmh(options, "load taken apart (sqlite)")) {
      run.results.breakdownNanos.put(BenchRun.method(result), result.getPrimaryResult().getScore());
    }
  }
}

package app.getbodhi.session.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * One run as the phases see it: the settings, the servers, the figures recorded so far, and the JMH
 * options every phase shares.
 */
final class BenchRun {

  /** Quick profile: how long each path runs before anything on its backend is recorded. */
  static final int JIT_WARMUP_SECONDS = 2;

  final BenchSettings settings;
  final BenchServers servers;
  final Results results = new Results();

  /** The system properties and heap of every JMH fork and helper JVM. */
  private final List<String> jvmArgs = new ArrayList<>();

  private final long started = System.nanoTime();

  BenchRun(BenchSettings settings, BenchServers servers) {
    this.settings = settings;
    this.servers = servers;
  }

  boolean full() {
    return settings.full();
  }

  /** Adds a JVM argument for the forks: a {@code -D} property they need, or a heap size. */
  void forkArg(String argument) {
    jvmArgs.add(argument);
  }

  /** The {@code -D} properties of the forks, for a helper JVM with a heap of its own. */
  List<String> forkProperties() {
    return jvmArgs.stream().filter(a -> a.startsWith("-D")).toList();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  void log(String message) {
    System.err.printf("[bench %5.0fs] %s%n", elapsedSeconds(), message);
  }

  /** The options every benchmark runs with; JMH's log goes to {@code jmh-NAME.log}. */
  ChainedOptionsBuilder options(String logName) {
    return new OptionsBuilder()
        // quick: every benchmark in this JVM (a fork costs ~4 s of start-up and set-up per run,
        // more than the run itself); full: one fresh JVM per benchmark, as JMH recommends
        .forks(full() ? 1 : 0)
        .jvmArgsAppend(jvmArgs.toArray(String[]::new))
        .shouldFailOnError(true)
        .verbosity(VerboseMode.NORMAL)
        .output(settings.out().resolve("jmh-" + logName + ".log").toString());
  }

  /** Runs JMH, logging how long it took. */
  Collection<RunResult> jmh(ChainedOptionsBuilder options, String what) throws RunnerException {
    long t0 = System.nanoTime();
    Collection<RunResult> runs = new Runner(options.build()).run();
    log(String.format("%s: %d runs (%.0f s)", what, runs.size(), (System.nanoTime() - t0) / 1e9));
    return runs;
  }

  /** The benchmark method's name of a JMH result. */
  static String method(RunResult result) {
    String benchmark = result.getParams().getBenchmark();
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /** Runs JMH and records each result's throughput as a row of the backend and thread count. */
  void record(BenchDb.Backend backend, int threads, ChainedOptionsBuilder options, String tag)
      throws RunnerException {
    for (RunResult result : jmh(options, tag)) {
      results.add(
          new Results.Row(
              method(result),
              backend.label(),
              threads,
              result.getParams().getParam("impl"),
              result.getPrimaryResult().getScore()));
    }
  }

  /**
   * Measures one throughput benchmark method of {@code benchmark} on one backend and thread count
   * for the given implementations, recording each figure.
   *
   * @param warmups quick profile: the 1-second warm-up iterations of each implementation's first
   *     run
   * @param againWarmups quick profile: the same for its run in the reverse order
   */
  void measure(
      Class<?> benchmark,
      String op,
      BenchDb.Backend backend,
      int threads,
      String tag,
      List<String> impls,
      int warmups,
      int againWarmups)
      throws RunnerException {
    if (full() || impls.size() == 1) {
      // one run, its implementations back to back (full: each in a fresh JVM)
      record(
          backend,
          threads,
          throughput(benchmark, op, backend, threads, tag + "-" + op, impls)
              .warmupIterations(full() ? 2 : 1)
              .measurementIterations(full() ? 3 : 1)
              .measurementTime(TimeValue.seconds(full() ? 2 : 1)),
          tag);
      return;
    }
    // quick, several implementations in one JVM: one measured second each in one order, then one
    // in the reverse order, averaged, so that neither the database's drift (WAL size, checkpoints,
    // table growth) nor anything left by the run before favours the implementation that happens to
    // come first
    List<String> reversed = new ArrayList<>(impls);
    Collections.reverse(reversed);
    for (int pass = 0; pass < 2; pass++) {
      for (String impl : pass == 0 ? impls : reversed) {
        String name = tag + "-" + op + "-" + impl + (pass == 0 ? "" : "-again");
        record(
            backend,
            threads,
            throughput(benchmark, op, backend, threads, name, List.of(impl))
                .warmupIterations(pass == 0 ? warmups : againWarmups)
                .measurementIterations(1)
                .measurementTime(TimeValue.seconds(1)),
            tag);
      }
    }
  }

  /** Quick profile: unrecorded seconds of each path, so the JIT has compiled it. */
  void jitWarmUp(Class<?> benchmark, String ops, BenchDb.Backend backend, List<String> impls)
      throws RunnerException {
    jmh(
        options(benchmark.getSimpleName() + "-jit-warmup-" + backend.label())
            .include(benchmark.getName() + "\\.(" + ops + ")$")
            .param("backend", backend.label())
            .param("impl", impls.toArray(String[]::new))
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.seconds(JIT_WARMUP_SECONDS)),
        benchmark.getSimpleName() + " JIT warm-up on " + backend.label() + " (not recorded)");
  }

  private ChainedOptionsBuilder throughput(
      Class<?> benchmark,
      String op,
      BenchDb.Backend backend,
      int threads,
      String logName,
      List<String> impls) {
    return options(logName)
        .include(benchmark.getName() + "\\." + op + "$")
        .param("backend", backend.label())
        .param("impl", impls.toArray(String[]::new))
        .threads(threads)
        .warmupTime(TimeValue.seconds(1));
  }
}

package app.getbodhi.session.bench;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One part of a run, a row of {@link Phases#ALL}: what runs it, on which backends, what data it
 * needs, and the code that measures it and records its figures in the run's {@link Results}. A new
 * benchmark is a new row (and, when it has a target, rows in {@link Targets#ALL}).
 *
 * @param name the phase's name in {@code BENCH_PHASES}
 * @param selectedBy the names in {@code BENCH_PHASES} that run it (its own, and any that bring it)
 * @param backends where it runs; empty for a phase that needs no database
 * @param fixtures the data it needs on each of its backends
 * @param body the measurement
 */
record Phase(
    String name,
    Set<String> selectedBy,
    Set<BenchDb.Backend> backends,
    Set<Fixture> fixtures,
    Body body) {

  /** The data a phase needs, loaded before any phase runs. */
  enum Fixture {
    /** The point table: {@link BenchData#POINT_ROWS} sessions for ours, raw JDBC and Spring. */
    POINT(List.of("point")),
    /** The scale tables, sealed sessions by the million. */
    SCALE(List.of("s10000", "s100000", "s1000000")),
    /** Empty stores that the clean-up and copy benchmarks fill themselves. */
    SCRATCH(List.of("expired", "copy"));

    /** The {@link BenchDb} names of its databases. */
    final List<String> databases;

    Fixture(List<String> databases) {
      this.databases = databases;
    }
  }

  /** What a phase does: runs its benchmarks on the backends it was given. */
  @FunctionalInterface
  interface Body {
    void run(BenchRun run, List<BenchDb.Backend> backends) throws Exception;
  }

  Phase {
    selectedBy = Set.copyOf(selectedBy);
    backends =
        backends.isEmpty() ? EnumSet.noneOf(BenchDb.Backend.class) : EnumSet.copyOf(backends);
    fixtures = fixtures.isEmpty() ? EnumSet.noneOf(Fixture.class) : EnumSet.copyOf(fixtures);
  }

  /** Whether it needs no database (and so runs whatever {@code BENCH_BACKENDS} says). */
  boolean databaseFree() {
    return backends.isEmpty();
  }

  /** The backends it runs on in a run that measures {@code chosen}, in their order. */
  List<BenchDb.Backend> on(List<BenchDb.Backend> chosen) {
    return chosen.stream().filter(backends::contains).toList();
  }
}

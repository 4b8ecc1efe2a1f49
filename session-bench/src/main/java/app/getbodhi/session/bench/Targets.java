package app.getbodhi.session.bench;

import static app.getbodhi.session.bench.BenchDb.Backend.MARIADB;
import static app.getbodhi.session.bench.BenchDb.Backend.POSTGRES;
import static app.getbodhi.session.bench.BenchDb.Backend.SQLITE;

import app.getbodhi.session.bench.Target.Check;
import app.getbodhi.session.bench.Target.Outcome;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** The targets every run is judged against, and their evaluation. */
final class Targets {

  private static final String RAW = "raw";
  private static final String SPRING = "spring";
  private static final Set<BenchDb.Backend> SERVERS_AND_FILE = Set.of(SQLITE, POSTGRES);

  /** The clean-up target's rate, rows per second. */
  static final double DELETE_RATE = 100_000;

  /**
   * The targets, in the order the report lists them. A sealed load against raw JDBC reading the
   * same row in plain JSON; requests against Spring Session JDBC as a Spring application runs it
   * (its filter loads the session, marks it accessed and saves it); both behind Spring Session's
   * own filter; cost that must not grow with the table; clean-up speed; the server's own ceiling
   * for a primary-key read; and bounded memory over a million sessions.
   */
  static final List<Target> ALL =
      List.of(
          Target.ratio("read-only request", "requestReadOnly", SPRING, 10, Set.of(SQLITE)),
          Target.ratio(
              "read-only request", "requestReadOnly", SPRING, 5, Set.of(POSTGRES, MARIADB)),
          Target.ratio(
              "changing request",
              "requestChanging",
              SPRING,
              1.7,
              Set.of(SQLITE, POSTGRES, MARIADB)),
          Target.ratio("load an existing session", "loadExisting", RAW, 0.7, SERVERS_AND_FILE),
          Target.ratio("save a session", "save", RAW, 0.9, SERVERS_AND_FILE),
          Target.ratio(
              "read-only request through Spring's filter",
              "filterReadOnly",
              SPRING,
              5,
              Set.of(SQLITE)),
          Target.ratio(
              "read-only request through Spring's filter",
              "filterReadOnly",
              SPRING,
              3,
              Set.of(POSTGRES)),
          Target.ratio(
              "changing request through Spring's filter",
              "filterChanging",
              SPRING,
              1.5,
              SERVERS_AND_FILE),
          Target.ratio(
              "read-only request through WebFlux, against sessions in memory",
              "webfluxReadOnly",
              PointPhases.MEMORY,
              0.5,
              Set.of(SQLITE)),
          Target.growth("load, 10k → 1M sessions", "load", 2, SERVERS_AND_FILE),
          Target.growth(
              "count a user's sessions, 10k → 1M", "countSessionsForUser", 2, SERVERS_AND_FILE),
          Target.growth(
              "clear a user's sessions, 10k → 1M", "clearSessionsForUser", 2, SERVERS_AND_FILE),
          Target.rate(
              "delete expired, 100k rows",
              TablePhases.expiredOp("100k"),
              DELETE_RATE,
              SERVERS_AND_FILE),
          Target.rate(
              "delete expired, 1M rows",
              TablePhases.expiredOp("1M"),
              DELETE_RATE,
              SERVERS_AND_FILE),
          new Target(
              "load against pgbench -S",
              ProcessPhases.PGBENCH_OP,
              Check.RATIO,
              ProcessPhases.PGBENCH,
              0.7,
              Set.of(POSTGRES),
              List.of(ProcessPhases.PGBENCH_CLIENTS)),
          Target.passes(
              "stream 1M sessions in a 256 MB heap", ProcessPhases.MEMORY_DUMP, SERVERS_AND_FILE),
          Target.passes(
              "copy 1M sessions in a 256 MB heap", ProcessPhases.MEMORY_COPY, SERVERS_AND_FILE));

  private Targets() {}

  /**
   * Judges every target on every backend and thread count where its figures were measured; a target
   * whose figures are missing (a phase not run) gives no outcome.
   */
  static List<Outcome> evaluate(List<Target> targets, Results results) {
    List<Outcome> outcomes = new ArrayList<>();
    for (Target target : targets) {
      for (BenchDb.Backend backend : BenchDb.Backend.values()) {
        if (!target.backends().contains(backend)) {
          continue;
        }
        for (int threads : target.threads()) {
          evaluate(target, backend, threads, results).ifPresent(outcomes::add);
        }
      }
    }
    return outcomes;
  }

  private static Optional<Outcome> evaluate(
      Target target, BenchDb.Backend backend, int threads, Results results) {
    String b = backend.label();
    Judge judge =
        (ours, anchor, figure, met) ->
            new Outcome(target, backend, threads, ours, anchor, figure, met);
    switch (target.check()) {
      case RATIO -> {
        return both(
            results.score(target.op(), b, threads, Results.OURS),
            results.score(target.op(), b, threads, target.anchor()),
            (ours, anchor) ->
                judge.outcome(
                    Report.perSecond(ours),
                    Report.implName(target.anchor()) + " " + Report.perSecond(anchor),
                    Report.times(ours / anchor),
                    ours / anchor >= target.limit()));
      }
      case GROWTH -> {
        String smallest = TablePhases.SIZES.get(0);
        String largest = TablePhases.SIZES.get(TablePhases.SIZES.size() - 1);
        return both(
            results.score(TablePhases.scaleOp(target.op(), smallest), b, 1, Results.OURS),
            results.score(TablePhases.scaleOp(target.op(), largest), b, 1, Results.OURS),
            (small, large) ->
                judge.outcome(
                    Report.micros(1e6 / large) + " at " + largest,
                    Report.micros(1e6 / small) + " at " + smallest,
                    Report.times(small / large),
                    small / large <= target.limit()));
      }
      case RATE -> {
        return results
            .score(target.op(), b, threads, Results.OURS)
            .map(
                rate ->
                    judge.outcome(
                        String.format(
                            Locale.ROOT,
                            "%s rows/s, %,d per statement",
                            Report.number(rate),
                            SessionStoreConfig.DEFAULT_DELETE_BATCH_SIZE),
                        "",
                        Report.number(rate) + "/s",
                        rate >= target.limit()));
      }
      case PASSES -> {
        return results.checks().stream()
            .filter(c -> c.name().equals(target.op()) && c.backend().equals(b))
            .findFirst()
            .map(c -> judge.outcome(c.detail(), "", c.passed() ? "passed" : "failed", c.passed()));
      }
    }
    throw new IllegalStateException("unknown check " + target.check());
  }

  /** Two figures judged together, when both were measured. */
  private static Optional<Outcome> both(
      Optional<Double> first, Optional<Double> second, BiFunction<Double, Double, Outcome> judge) {
    return first.flatMap(a -> second.map(b -> judge.apply(a, b)));
  }

  /** An outcome of the target, backend and thread count being judged. */
  @FunctionalInterface
  private interface Judge {
    Outcome outcome(String ours, String anchor, String figure, boolean met);
  }
}

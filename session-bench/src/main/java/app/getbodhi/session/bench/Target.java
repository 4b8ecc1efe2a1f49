package app.getbodhi.session.bench;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One target, as data: a measure of ours, how it is judged, the limit, and where it applies. {@link
 * Targets#evaluate} turns each into one {@link Outcome} per backend and thread count it was
 * measured at.
 *
 * @param title what the reader sees, such as "read-only request"
 * @param op the figure's name in the results (for {@link Check#GROWTH}, the operation without its
 *     size; for {@link Check#PASSES}, the check's name)
 * @param check how the figure is judged
 * @param anchor the implementation ours is compared with, for {@link Check#RATIO}; else empty
 * @param limit the ratio, growth or rate the target names
 * @param backends where it applies
 * @param threads the thread counts it applies at
 */
record Target(
    String title,
    String op,
    Check check,
    String anchor,
    double limit,
    Set<BenchDb.Backend> backends,
    List<Integer> threads) {

  /** How a figure meets its target. */
  enum Check {
    /** Ours in ops/s divided by the anchor's is at least the limit. */
    RATIO,
    /** Latency at the largest table divided by latency at the smallest is at most the limit. */
    GROWTH,
    /** Ours in (rows or operations) per second is at least the limit. */
    RATE,
    /** A pass-or-fail check passed; the limit is unused. */
    PASSES
  }

  Target {
    backends = EnumSet.copyOf(backends);
    threads = List.copyOf(threads);
    if ((check == Check.RATIO) == anchor.isEmpty()) {
      throw new IllegalArgumentException(title + ": a ratio, and only a ratio, has an anchor");
    }
  }

  static Target ratio(
      String title, String op, String anchor, double limit, Set<BenchDb.Backend> backends) {
    return new Target(title, op, Check.RATIO, anchor, limit, backends, List.of(1, 8));
  }

  static Target growth(String title, String op, double limit, Set<BenchDb.Backend> backends) {
    return new Target(title, op, Check.GROWTH, "", limit, backends, List.of(1));
  }

  static Target rate(String title, String op, double limit, Set<BenchDb.Backend> backends) {
    return new Target(title, op, Check.RATE, "", limit, backends, List.of(1));
  }

  static Target passes(String title, String check, Set<BenchDb.Backend> backends) {
    return new Target(title, check, Check.PASSES, "", 0, backends, List.of(1));
  }

  /** The target as the report writes it: "≥ 5×", "≤ 2×", "≥ 100,000/s", "passes". */
  String limitText() {
    return switch (check) {
      case RATIO -> "≥ " + Report.times(limit);
      case GROWTH -> "≤ " + Report.times(limit);
      case RATE -> String.format(Locale.ROOT, "≥ %,.0f/s", limit);
      case PASSES -> "passes";
    };
  }

  /**
   * One target judged on one backend at one thread count.
   *
   * @param ours ours: ops/s ({@link Check#RATIO}, {@link Check#RATE}) or µs at the largest table
   *     ({@link Check#GROWTH}); the check's detail for {@link Check#PASSES}
   * @param anchor the anchor's figure, with its name: ops/s, or µs at the smallest table; else
   *     empty
   * @param figure the ratio, growth or rate judged against the limit
   * @param met whether the target is met
   */
  record Outcome(
      Target target,
      BenchDb.Backend backend,
      int threads,
      String ours,
      String anchor,
      String figure,
      boolean met) {}
}

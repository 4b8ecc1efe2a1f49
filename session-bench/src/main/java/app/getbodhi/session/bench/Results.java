package app.getbodhi.session.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every figure of one run, as the phases record them, for the report, the targets and the charts.
 * Not thread-safe: the phases run one after another.
 */
final class Results {

  /** The implementation measured against the others. */
  static final String OURS = "ours";

  /**
   * One measured figure: operations per second of an implementation. Scale rows are named {@code
   * OP @SIZE} (latency is {@code 1e6 / opsPerSecond} µs); clean-up rows count rows deleted.
   */
  record Row(String op, String backend, int threads, String impl, double opsPerSecond) {}

  /** A pass-or-fail check that is not a rate, such as a memory bound, with what it measured. */
  record Check(String name, String backend, boolean passed, String detail) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<Check> checks = new ArrayList<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  /**
   * {@link SealingBenchmark}'s figures: step and session to nanoseconds per call, the median
   * iteration and the best.
   */
  final Map<String, double[]> sealingNanos = new LinkedHashMap<>();

  /** {@link LoadBreakdownBenchmark}'s figures: step to nanoseconds per call. */
  final Map<String, Double> breakdownNanos = new LinkedHashMap<>();

  void add(Row row) {
    rows.add(row);
  }

  void add(Check check) {
    checks.add(check);
  }

  void note(String name, String text) {
    notes.put(name, text);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  List<Check> checks() {
    return List.copyOf(checks);
  }

  Map<String, String> notes() {
    return Map.copyOf(notes);
  }

  /**
   * The figure for one cell: the mean when it was measured more than once (in both orders).
   *
   * @return empty when it was not measured
   */
  Optional<Double> score(String op, String backend, int threads, String impl) {
    OptionalDouble mean =
        rows.stream()
            .filter(
                r ->
                    r.op().equals(op)
                        && r.backend().equals(backend)
                        && r.threads() == threads
                        && r.impl().equals(impl))
            .mapToDouble(Row::opsPerSecond)
            .average();
    return mean.isPresent() ? Optional.of(mean.getAsDouble()) : Optional.empty();
  }

  /** {@link #score}, or null, for the report's cells. */
  Double cell(String op, String backend, int threads, String impl) {
    return score(op, backend, threads, impl).orElse(null);
  }
}

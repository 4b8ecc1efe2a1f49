package app.getbodhi.session.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What one {@code make bench} run measures, and where, from the environment (or a system property
 * of the same name in lower case with dots: {@code BENCH_PROFILE} or {@code -Dbench.profile}).
 *
 * <ul>
 *   <li>{@code BENCH_PROFILE=quick|full}: quick (the default, about a quarter of an hour on two
 *       cores) measures each figure for one or two seconds in one JVM; full runs each benchmark in
 *       a fresh JVM with longer iterations.
 *   <li>{@code BENCH_BACKENDS}: a comma-separated subset of {@value #ALL_BACKENDS}.
 *   <li>{@code BENCH_PHASES}: a comma-separated subset of the names in {@link Phases#ALL}; {@value
 *       #DEFAULT_PHASES} by default ({@code point} brings {@code sealing} and {@code spring}).
 *   <li>{@code BENCH_DIR}: where the SQLite files go ({@value #DEFAULT_WORK_DIR}).
 *   <li>{@code BENCH_DOCS}: the project's {@code docs} folder, whose benchmark page and charts a
 *       complete run refreshes ({@value #DEFAULT_DOCS_DIR}); {@code none} leaves it alone.
 * </ul>
 *
 * @param full whether this is the full profile
 * @param backends the backends to measure, in {@link BenchDb.Backend}'s order
 * @param phases the phase names asked for
 * @param work the folder of the SQLite files
 * @param out where the report, the charts and JMH's logs go
 * @param docs the documentation folder to refresh, if any
 */
record BenchSettings(
    boolean full,
    List<BenchDb.Backend> backends,
    List<String> phases,
    Path work,
    Path out,
    Optional<Path> docs) {

  /** Every backend, the default of {@code BENCH_BACKENDS}. */
  static final String ALL_BACKENDS = "sqlite,postgres,mariadb";

  /** The default of {@code BENCH_PHASES}: everything. */
  static final String DEFAULT_PHASES = "point,scale,expired,pgbench,memory,webflux";

  static final String DEFAULT_WORK_DIR = "target/bench-data";

  /** The docs folder seen from the bench module, where {@code make bench} runs it. */
  static final String DEFAULT_DOCS_DIR = "../docs";

  BenchSettings {
    backends = List.copyOf(backends);
    phases = List.copyOf(phases);
  }

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException naming the setting, for an unknown profile, backend or phase
   */
  static BenchSettings fromEnvironment() {
    String profile = setting("BENCH_PROFILE", "quick").toLowerCase(Locale.ROOT);
    if (!profile.equals("quick") && !profile.equals("full")) {
      throw new IllegalArgumentException(
          "BENCH_PROFILE: '" + profile + "' is neither quick nor full");
    }
    List<BenchDb.Backend> backends =
        list(setting("BENCH_BACKENDS", ALL_BACKENDS)).stream()
            .map(BenchDb.Backend::parse)
            .distinct()
            .sorted()
            .toList();
    List<String> phases = list(setting("BENCH_PHASES", DEFAULT_PHASES));
    for (String phase : phases) {
      if (Phases.ALL.stream().noneMatch(p -> p.name().equals(phase))) {
        throw new IllegalArgumentException(
            "BENCH_PHASES: unknown phase '"
                + phase
                + "'; the phases are "
                + String.join(", ", Phases.ALL.stream().map(Phase::name).toList()));
      }
    }
    String docs = setting("BENCH_DOCS", DEFAULT_DOCS_DIR);
    return new BenchSettings(
        profile.equals("full"),
        backends,
        phases,
        Path.of(setting("BENCH_DIR", DEFAULT_WORK_DIR)).toAbsolutePath(),
        Path.of("target/bench").toAbsolutePath(),
        docs.equals("none") ? Optional.empty() : Optional.of(Path.of(docs).toAbsolutePath()));
  }

  private static List<String> list(String value) {
    return Stream.of(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** A setting: the system property (lower case, dots) first, then the environment variable. */
  static String setting(String env, String fallback) {
    String property = System.getProperty(env.toLowerCase(Locale.ROOT).replace('_', '.'));
    if (property != null && !property.isBlank()) {
      return property;
    }
    String value = System.getenv(env);
    return value == null || value.isBlank() ? fallback : value;
  }

  String profile() {
    return full ? "full" : "quick";
  }

  /** Whether the phase runs: asked for by its own name or by one that brings it. */
  boolean runs(Phase phase) {
    return phase.selectedBy().stream().anyMatch(phases::contains);
  }

  /**
   * Whether this run measures everything: only such a run may replace the figures and charts in the
   * documentation, whose every figure comes from one run.
   */
  boolean complete() {
    return backends.size() == BenchDb.Backend.values().length
        && phases.containsAll(list(DEFAULT_PHASES));
  }
}

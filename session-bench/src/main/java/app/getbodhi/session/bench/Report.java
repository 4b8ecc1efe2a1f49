package app.getbodhi.session.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The run's report in Markdown: the figures against their targets (the table the documentation
 * shows), then every figure, Spring Session's filter, WebFlux, and where a load's time goes.
 */
final class Report {

  /** The implementations as the report names them, in the order of its columns. */
  static final Map<String, String> IMPLS = impls();

  private static Map<String, String> impls() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put(Results.OURS, "ours");
    names.put("raw", "raw JDBC");
    names.put("rawReuse", "raw JDBC, statements reused");
    names.put("spring", "Spring Session JDBC");
    names.put(ProcessPhases.PGBENCH, "pgbench -S");
    names.put(PointPhases.MEMORY, "Spring Session in memory");
    return names;
  }

  /** The sealing steps as the report names them, in {@link SealingBenchmark}'s terms. */
  static final Map<String, String> SEALING_STEPS =
      orderedMap(
          "keys", "row key (SHA-256 of label + id, base64url)",
          "open", "open (HKDF-SHA256 + AES-256-GCM decrypt)",
          "keysAndOpen", "row key + open: a load's sealing",
          "keysAndOpenPerCallInstances", "row key + open, JCA objects created per call",
          "seal", "seal (HKDF + nonce + AES-256-GCM encrypt): a write's sealing",
          "parseJson", "JSON parse alone (Jackson to a map; a proxy for the store's parser)");

  /** The steps of {@link LoadBreakdownBenchmark}, in the order each adds to the one before. */
  static final Map<String, String> BREAKDOWN_STEPS =
      orderedMap(
          "plainSelect", "the load statement on the plain table, every column read",
          "sealedSelect", "the same on the sealed table, by row key (id hashed)",
          "sealedSelectOpen", "and the data opened",
          "sealedSelectOpenParse", "and the JSON parsed (Jackson, a proxy)",
          "storeLoad", "the store's load");

  private final BenchSettings settings;
  private final Results results;

  Report(BenchSettings settings, Results results) {
    this.settings = settings;
    this.results = results;
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  static String implName(String impl) {
    return IMPLS.getOrDefault(impl, impl);
  }

  static String number(double value) {
    return value >= 100
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%,.1f", value);
  }

  static String perSecond(double value) {
    return number(value) + "/s";
  }

  static String micros(double value) {
    return String.format(Locale.ROOT, "%.1f µs", value);
  }

  static String times(double ratio) {
    return ratio >= 10
        ? String.format(Locale.ROOT, "%.1f×", ratio)
        : String.format(Locale.ROOT, "%.2f×", ratio).replaceAll("0×$", "×").replace(".0×", "×");
  }

  private static String cell(Double value) {
    return value == null ? "—" : number(value);
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null ? "—" : String.format(Locale.ROOT, "%.2f", a / b);
  }

  /** The run in one line: date, profile, machine and JDK. */
  String runLine(double seconds) {
    return String.format(
        Locale.ROOT,
        "Run of %s, %s profile, %d cores (%s), Java %s (%s); %.0f minutes.",
        LocalDate.now(ZoneOffset.UTC),
        settings.profile(),
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        seconds / 60);
  }

  /**
   * The figures against their targets, one row per target, backend and thread count: the table the
   * benchmark page shows.
   */
  static String targetTable(List<Target.Outcome> outcomes) {
    StringBuilder text =
        new StringBuilder(
            "| measure | backend | threads | ours | compared with | figure | target | met |\n"
                + "|---|---|---:|---:|---:|---:|---:|---|\n");
    for (Target.Outcome o : outcomes) {
      text.append(
          String.format(
              "| %s | %s | %d | %s | %s | %s | %s | %s |%n",
              o.target().title(),
              o.backend().label(),
              o.threads(),
              o.ours(),
              o.anchor().isEmpty() ? "—" : o.anchor(),
              o.figure(),
              o.target().limitText(),
              o.met() ? "met" : "**not met**"));
    }
    return text.toString();
  }

  /** The whole report. */
  String render(double seconds) {
    List<Target.Outcome> outcomes = Targets.evaluate(Targets.ALL, results);
    long missed = outcomes.stream().filter(o -> !o.met()).count();
    StringBuilder text = new StringBuilder("# bodhi-sessions benchmark\n\n");
    text.append(runLine(seconds)).append("\n\n");
    text.append(
        String.format(
            "## Figures against their targets (%d of %d met)%n%n",
            outcomes.size() - missed, outcomes.size()));
    text.append(targetTable(outcomes));
    text.append("\n## Every figure (operations per second)\n\n").append(figureTable());
    text.append(
        "\nScale rows: latency is 1e6 / ops/s µs. deleteExpired rows: rows deleted per second.\n");
    if (!results.notes().isEmpty() || !results.checks().isEmpty()) {
      text.append('\n');
      results.notes().forEach((k, v) -> text.append("- ").append(k).append(": ").append(v));
      text.append(results.notes().isEmpty() ? "" : "\n");
      for (Results.Check check : results.checks()) {
        text.append(String.format("- %s %s: %s%n", check.backend(), check.name(), check.detail()));
      }
    }
    text.append(
        pairTable(
            PointPhases.FILTER_OPS,
            "spring",
            "Spring Session's SessionRepositoryFilter: ours against Spring Session JDBC",
            "Spring JDBC"));
    text.append(
        pairTable(
            PointPhases.WEBFLUX_OPS,
            PointPhases.MEMORY,
            "WebFlux over HTTP: ours against Spring Session's sessions in memory",
            "in memory"));
    text.append(sealingReport());
    text.append(breakdownReport());
    return text.toString();
  }

  private String figureTable() {
    StringBuilder table =
        new StringBuilder("| operation | backend | threads |")
            .append(String.join(" |", IMPLS.values().stream().limit(4).toList()))
            .append(" | ours/raw | ours/raw reused | ours/Spring |\n")
            .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<List<String>> keys =
        results.rows().stream()
            .map(r -> List.of(r.op(), r.backend(), String.valueOf(r.threads())))
            .distinct()
            .sorted(
                Comparator.<List<String>, Integer>comparing(
                        k -> BenchDb.Backend.parse(k.get(1)).ordinal())
                    .thenComparing(k -> order(k.get(0)))
                    .thenComparing(k -> Integer.parseInt(k.get(2)))
                    .thenComparing(k -> k.get(0)))
            .toList();
    for (List<String> key : keys) {
      int threads = Integer.parseInt(key.get(2));
      Double[] cells =
          IMPLS.keySet().stream()
              .limit(4)
              .map(impl -> results.cell(key.get(0), key.get(1), threads, impl))
              .toArray(Double[]::new);
      if (Arrays.stream(cells).allMatch(Objects::isNull)) {
        continue;
      }
      table.append(
          String.format(
              "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
              key.get(0),
              key.get(1),
              threads,
              cell(cells[0]),
              cell(cells[1]),
              cell(cells[2]),
              cell(cells[3]),
              ratio(cells[0], cells[1]),
              ratio(cells[0], cells[2]),
              ratio(cells[0], cells[3])));
    }
    return table.toString();
  }

  private static int order(String op) {
    List<String> ops = new ArrayList<>(PointPhases.POINT_OPS);
    ops.addAll(PointPhases.FILTER_OPS);
    ops.addAll(PointPhases.WEBFLUX_OPS);
    for (String scaleOp : TablePhases.SCALE_OPS) {
      TablePhases.SIZES.forEach(size -> ops.add(TablePhases.scaleOp(scaleOp, size)));
    }
    TablePhases.SIZES.forEach(size -> ops.add(TablePhases.expiredOp(size)));
    int index = ops.indexOf(op);
    return index >= 0 ? index : ops.size();
  }

  /**
   * A read-only and a changing request, ours against {@code anchor}, per backend and thread count;
   * empty when none was measured.
   */
  private String pairTable(List<String> ops, String anchor, String title, String anchorName) {
    StringBuilder text = new StringBuilder();
    for (BenchDb.Backend backend : BenchDb.Backend.values()) {
      for (int threads : PointPhases.THREADS) {
        List<Double> figures = new ArrayList<>();
        for (String op : ops) {
          figures.add(results.cell(op, backend.label(), threads, Results.OURS));
          figures.add(results.cell(op, backend.label(), threads, anchor));
        }
        if (figures.stream().allMatch(Objects::isNull)) {
          continue;
        }
        text.append(
            String.format(
                "| %s | %d | %s | %s | %s | %s | %s | %s |%n",
                backend.label(),
                threads,
                cell(figures.get(0)),
                cell(figures.get(1)),
                ratio(figures.get(0), figures.get(1)),
                cell(figures.get(2)),
                cell(figures.get(3)),
                ratio(figures.get(2), figures.get(3))));
      }
    }
    if (text.length() == 0) {
      return "";
    }
    String ratio = " ours/" + anchorName + " |";
    return "\n## "
        + title
        + " (requests/s)\n\n"
        + "| backend | threads | read-only ours | read-only "
        + anchorName
        + " |"
        + ratio
        + " changing ours | changing "
        + anchorName
        + " |"
        + ratio
        + "\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        + text;
  }

  private double[] sealing(String step, String session) {
    return results.sealingNanos.get(step + "/" + session);
  }

  private static String nanosAsMicros(double[] nanos) {
    return nanos == null
        ? "—"
        : String.format(Locale.ROOT, "%.2f (%.2f)", nanos[0] / 1000, nanos[1] / 1000);
  }

  /** "Where the time goes": the sealing steps per call, and their share of a load. */
  private String sealingReport() {
    if (results.sealingNanos.isEmpty()) {
      return "";
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                "%n## Where the time goes: sealing per call (no database, 1 thread)%n%n"
                    + "Median of the iterations, best iteration in brackets, µs per call.%n%n"
                    + "| step | point session (%d bytes) | %d-byte session |%n|---|---:|---:|%n",
                BenchData.json(BenchData.data("user-0", 0, 0)).length,
                SealingBenchmark.LARGE_BYTES));
    SEALING_STEPS.forEach(
        (step, label) ->
            text.append(
                String.format(
                    "| %s | %s | %s |%n",
                    label,
                    nanosAsMicros(sealing(step, "point")),
                    nanosAsMicros(sealing(step, "730")))));
    double[] load = sealing("keysAndOpen", "point");
    if (load == null) {
      return text.toString();
    }
    text.append('\n');
    for (BenchDb.Backend backend : BenchDb.Backend.values()) {
      for (String op : List.of("loadExisting", "requestReadOnly")) {
        Double ours = results.cell(op, backend.label(), 1, Results.OURS);
        if (ours != null) {
          double callMicros = 1e6 / ours;
          text.append(
              String.format(
                  Locale.ROOT,
                  "- %s %s, 1 thread: sealing (row key + open) %.2f µs of a %.1f µs call ="
                      + " %.1f %% (best iteration: %.2f µs = %.1f %%)%n",
                  backend.label(),
                  op,
                  load[0] / 1000,
                  callMicros,
                  100 * load[0] / 1000 / callMicros,
                  load[1] / 1000,
                  100 * load[1] / 1000 / callMicros));
        }
      }
    }
    return text.toString();
  }

  private String breakdownReport() {
    if (results.breakdownNanos.isEmpty()) {
      return "";
    }
    StringBuilder text =
        new StringBuilder(
            "\n## A SQLite load taken apart in place (1 thread, statements reused)\n\n"
                + "| step | µs per call | added by the step µs |\n|---|---:|---:|\n");
    Double before = null;
    for (Map.Entry<String, String> step : BREAKDOWN_STEPS.entrySet()) {
      Double nanos = results.breakdownNanos.get(step.getKey());
      text.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s |%n",
              step.getValue(),
              nanos == null ? "—" : String.format(Locale.ROOT, "%.2f", nanos / 1000),
              nanos == null || before == null
                  ? "—"
                  : String.format(Locale.ROOT, "%+.2f", (nanos - before) / 1000)));
      before = nanos;
    }
    return text.toString();
  }

  static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}

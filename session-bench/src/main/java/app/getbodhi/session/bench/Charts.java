package app.getbodhi.session.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark page's charts, drawn with {@link Svg} from a run's {@link Results}: throughput of
 * each implementation on each backend (grouped bars), and cost against the number of sessions in
 * the table (lines).
 */
final class Charts {

  static final List<String> PALETTE =
      List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2");

  /** The thread count the throughput chart shows: a server under concurrent requests. */
  static final int THROUGHPUT_THREADS = 8;

  /** The implementations the throughput chart shows, in their bars' order. */
  static final List<String> THROUGHPUT_IMPLS = List.of(Results.OURS, "raw", "spring");

  /** The operations the throughput chart shows. */
  static final List<String> THROUGHPUT_OPS =
      List.of("requestReadOnly", "requestChanging", "loadExisting");

  /** The scale operations the cost chart shows. */
  static final List<String> SCALE_OPS =
      List.of("load", "countSessionsForUser", "clearSessionsForUser");

  /**
   * Data for grouped bars: {@code values[group][series]}, null where not measured.
   *
   * @param title the chart's title
   * @param unit what the values count, for the axis
   * @param groups one label per group of bars
   * @param series one label per bar in a group, shown in the legend
   * @param values the bars' lengths
   */
  record Bars(
      String title, String unit, List<String> groups, List<String> series, Double[][] values) {}

  /**
   * Data for lines over categories: {@code values[series][x]}, null where not measured.
   *
   * @param title the chart's title
   * @param unit what the values measure, for the axis
   * @param xLabels the categories along the x axis
   * @param series one label per line, shown in the legend
   * @param values the points
   */
  record Lines(
      String title, String unit, List<String> xLabels, List<String> series, Double[][] values) {}

  private Charts() {}

  /** Throughput per implementation and backend, from a run's point figures. */
  static Bars throughput(Results results) {
    List<String> groups = new ArrayList<>();
    List<Double[]> values = new ArrayList<>();
    for (String op : THROUGHPUT_OPS) {
      for (BenchDb.Backend backend : BenchDb.Backend.values()) {
        Double[] row =
            THROUGHPUT_IMPLS.stream()
                .map(impl -> results.cell(op, backend.label(), THROUGHPUT_THREADS, impl))
                .toArray(Double[]::new);
        if (row[0] != null) {
          groups.add(op + " · " + backend.label());
          values.add(row);
        }
      }
    }
    return new Bars(
        "Throughput, " + THROUGHPUT_THREADS + " threads (higher is better)",
        "operations per second",
        groups,
        THROUGHPUT_IMPLS.stream().map(Report::implName).toList(),
        values.toArray(Double[][]::new));
  }

  /** Ours: µs per call against sessions in the table, from a run's scale figures. */
  static Lines scale(Results results) {
    List<String> series = new ArrayList<>();
    List<Double[]> values = new ArrayList<>();
    for (BenchDb.Backend backend : BenchDb.Backend.values()) {
      for (String op : SCALE_OPS) {
        Double[] row =
            TablePhases.SIZES.stream()
                .map(
                    size ->
                        results
                            .score(TablePhases.scaleOp(op, size), backend.label(), 1, Results.OURS)
                            .map(opsPerSecond -> 1e6 / opsPerSecond)
                            .orElse(null))
                .toArray(Double[]::new);
        if (java.util.Arrays.stream(row).anyMatch(v -> v != null)) {
          series.add(op + " · " + backend.label());
          values.add(row);
        }
      }
    }
    return new Lines(
        "Cost against sessions in the table, 1 thread (flat is better)",
        "µs per call",
        TablePhases.SIZES.stream().map(s -> s + " sessions").toList(),
        series,
        values.toArray(Double[][]::new));
  }

  private static final double LEFT = 230;
  private static final double PLOT = 520;
  private static final double TOP = 70;
  private static final double BAR = 14;
  private static final double GROUP_GAP = 14;

  /** Horizontal grouped bars, each labelled with its value, and a legend. */
  static String render(Bars chart) {
    double max = max(chart.values());
    int series = chart.series().size();
    double groupHeight = series * BAR + GROUP_GAP;
    double height = TOP + chart.groups().size() * groupHeight + 50;
    Svg svg = new Svg(LEFT + PLOT + 110, height);
    svg.text(10, 24, chart.title(), "start", 16);
    legend(svg, chart.series(), 10, 46, false);
    double bottom = TOP + chart.groups().size() * groupHeight;
    axis(svg, max, chart.unit(), bottom);
    for (int g = 0; g < chart.groups().size(); g++) {
      double y = TOP + g * groupHeight;
      svg.text(LEFT - 8, y + series * BAR / 2 + 4, chart.groups().get(g), "end", 12);
      for (int s = 0; s < series; s++) {
        Double value = chart.values()[g][s];
        double barY = y + s * BAR;
        String label = chart.series().get(s) + ", " + chart.groups().get(g);
        if (value == null) {
          svg.text(LEFT + 4, barY + BAR - 3, "not measured", "start", 10);
          continue;
        }
        double w = PLOT * value / max;
        svg.rect(LEFT, barY, w, BAR - 2, color(s), label + ": " + Report.number(value));
        svg.text(LEFT + w + 4, barY + BAR - 3, Report.number(value), "start", 10);
      }
    }
    return svg.render(chart.title());
  }

  /** Lines with a dot per point, a y axis from zero, and a legend. */
  static String render(Lines chart) {
    double max = max(chart.values());
    double plotHeight = 300;
    double legendY = TOP + plotHeight + 50;
    Svg svg = new Svg(LEFT + PLOT + 110, legendY + 20 * chart.series().size() + 10);
    svg.text(10, 24, chart.title(), "start", 16);
    double bottom = TOP + plotHeight;
    for (int i = 0; i <= 4; i++) {
      double y = bottom - plotHeight * i / 4;
      svg.line(LEFT, y, LEFT + PLOT, y, "#dddddd");
      svg.text(LEFT - 6, y + 4, Report.number(max * i / 4), "end", 10);
    }
    svg.text(LEFT - 60, TOP - 12, chart.unit(), "start", 11);
    int n = chart.xLabels().size();
    double step = n > 1 ? PLOT / (n - 1) : 0;
    for (int x = 0; x < n; x++) {
      svg.text(LEFT + x * step, bottom + 18, chart.xLabels().get(x), "middle", 11);
    }
    for (int s = 0; s < chart.series().size(); s++) {
      List<Double> points = new ArrayList<>();
      for (int x = 0; x < n; x++) {
        Double value = chart.values()[s][x];
        if (value == null) {
          continue;
        }
        double px = LEFT + x * step;
        double py = bottom - plotHeight * value / max;
        points.add(px);
        points.add(py);
        svg.circle(
            px,
            py,
            3.5,
            color(s),
            chart.series().get(s) + ", " + chart.xLabels().get(x) + ": " + Report.micros(value));
      }
      svg.polyline(color(s), points.stream().mapToDouble(Double::doubleValue).toArray());
    }
    legend(svg, chart.series(), LEFT, legendY, true);
    return svg.render(chart.title());
  }

  private static void axis(Svg svg, double max, String unit, double bottom) {
    for (int i = 0; i <= 4; i++) {
      double x = LEFT + PLOT * i / 4;
      svg.line(x, TOP - 6, x, bottom, "#dddddd");
      svg.text(x, bottom + 16, Report.number(max * i / 4), "middle", 10);
    }
    svg.text(LEFT + PLOT / 2, bottom + 34, unit, "middle", 11);
  }

  /** The series' colours and names, in a row or one under another. */
  private static void legend(Svg svg, List<String> series, double x, double y, boolean vertical) {
    double atX = x;
    double atY = y;
    for (int s = 0; s < series.size(); s++) {
      svg.rect(atX, atY - 10, 12, 12, color(s), series.get(s));
      svg.text(atX + 16, atY, series.get(s), "start", 12);
      if (vertical) {
        atY += 20;
      } else {
        atX += 30 + 7 * series.get(s).length();
      }
    }
  }

  private static String color(int series) {
    return PALETTE.get(series % PALETTE.size());
  }

  /** The largest value, or 1 when there is none, so that an empty chart still renders. */
  private static double max(Double[][] values) {
    double max = 0;
    for (Double[] row : values) {
      for (Double value : row) {
        if (value != null && value > max) {
          max = value;
        }
      }
    }
    return max > 0 ? max : 1;
  }
}

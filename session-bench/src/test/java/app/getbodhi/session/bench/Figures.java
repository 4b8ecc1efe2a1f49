package app.getbodhi.session.bench;

/** Recorded figures written as a table, for the tests of what the report makes of them. */
final class Figures {

  private Figures() {}

  /**
   * A run's results, written as the report's tables are read: one line per operation, backend and
   * thread count, separated by {@code |}, then each implementation's operations per second as
   * {@code impl=figure} (an implementation named twice was measured twice). Blank lines are
   * skipped.
   */
  static Results of(String table) {
    Results results = new Results();
    table
        .lines()
        .filter(line -> !line.isBlank())
        .forEach(
            line -> {
              String[] cells = line.split("\\|");
              for (String figure : cells[3].strip().split("\\s+")) {
                String[] implAndFigure = figure.split("=");
                results.add(
                    new Results.Row(
                        cells[0].strip(),
                        cells[1].strip(),
                        Integer.parseInt(cells[2].strip()),
                        implAndFigure[0],
                        Double.parseDouble(implAndFigure[1])));
              }
            });
    return results;
  }
}

package app.getbodhi.session.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar redrawn in place with a carriage return. Only for a terminal: in a pipe
 * or a log file the redraws would pile up as noise, so commands use it only when {@link
 * Terminal#interactive()}.
 */
final class ProgressBar implements SessionCopier.Progress {

  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final String label;
  private boolean drawn;

  ProgressBar(PrintWriter out, String label) {
    this.out = out;
    this.label = label;
  }

  @Override
  public void update(long done, long total) {
    int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
    long percent = total == 0 ? 100 : 100 * done / total;
    out.print(
        "\r"
            + label
            + " ["
            + "#".repeat(filled)
            + ".".repeat(WIDTH - filled)
            + "] "
            + done
            + "/"
            + total
            + " ("
            + percent
            + "%)");
    out.flush();
    drawn = true;
  }

  /** Ends the bar's line, so what follows starts on a line of its own. */
  void finish() {
    if (drawn) {
      out.println();
      out.flush();
    }
  }
}

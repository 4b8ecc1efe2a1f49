package app.getbodhi.session.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refreshes the benchmark page: replaces what lies between its two markers with a run's figures,
 * and leaves the rest of the page as it is written.
 */
final class DocsPage {

  /** The line before the figures. */
  static final String BEGIN = "<!-- begin: figures written by make bench -->";

  /** The line after them. */
  static final String END = "<!-- end: figures written by make bench -->";

  /** The page, in the docs folder. */
  static final String PAGE = "benchmarks.md";

  /** The charts' files, in the docs folder. */
  static final String THROUGHPUT_SVG = "bench-throughput.svg";

  static final String SCALE_SVG = "bench-scale.svg";

  private DocsPage() {}

  /**
   * The page's text with the marked region's content replaced.
   *
   * @throws IllegalArgumentException when the page lacks a marker or has them out of order
   */
  static String replaceFigures(String page, String figures) {
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "the benchmark page needs the lines " + BEGIN + " and " + END + ", in that order");
    }
    String content = figures.endsWith("\n") ? figures : figures + "\n";
    return page.substring(0, begin + BEGIN.length()) + "\n" + content + page.substring(end);
  }

  /** Rewrites the page's figures in place. */
  static void update(Path page, String figures) throws IOException {
    String text = Files.readString(page, StandardCharsets.UTF_8);
    Files.writeString(page, replaceFigures(text, figures), StandardCharsets.UTF_8);
  }
}

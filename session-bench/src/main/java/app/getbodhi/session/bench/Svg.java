package app.getbodhi.session.bench;

import java.util.Locale;

/**
 * A small SVG writer: rectangles, lines, polylines, circles and text, with every text and attribute
 * value escaped, and coordinates written with one decimal in the root locale, so the same input
 * gives the same bytes. Not thread-safe.
 */
final class Svg {

  private final StringBuilder body = new StringBuilder();
  private final double width;
  private final double height;

  Svg(double width, double height) {
    this.width = width;
    this.height = height;
  }

  /** Escapes text for an XML element or a double-quoted attribute. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // XML 1.0 has no place for other control characters
          if (c >= 0x20 || c == '\n' || c == '\t') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  static String num(double value) {
    String text = String.format(Locale.ROOT, "%.1f", value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  /** A filled rectangle, with a tooltip. */
  Svg rect(double x, double y, double w, double h, String fill, String title) {
    body.append(
        String.format(
            "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\">",
            num(x), num(y), num(Math.max(0, w)), num(Math.max(0, h)), escape(fill)));
    body.append("<title>").append(escape(title)).append("</title></rect>\n");
    return this;
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke) {
    body.append(
        String.format(
            "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\"/>%n",
            num(x1), num(y1), num(x2), num(y2), escape(stroke)));
    return this;
  }

  /** An open line through the points, given as x, y, x, y... */
  Svg polyline(String stroke, double... xy) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i + 1 < xy.length; i += 2) {
      points.append(i == 0 ? "" : " ").append(num(xy[i])).append(',').append(num(xy[i + 1]));
    }
    body.append(
        String.format(
            "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
            points, escape(stroke)));
    return this;
  }

  Svg circle(double x, double y, double r, String fill, String title) {
    body.append(
        String.format(
            "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\">",
            num(x), num(y), num(r), escape(fill)));
    body.append("<title>").append(escape(title)).append("</title></circle>\n");
    return this;
  }

  /**
   * Text at a point.
   *
   * @param anchor {@code start}, {@code middle} or {@code end}
   */
  Svg text(double x, double y, String text, String anchor, int size) {
    body.append(
        String.format(
            "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
            num(x), num(y), escape(anchor), size, escape(text)));
    return this;
  }

  /** The document, with a white background and a sans-serif font. */
  String render(String title) {
    return String.format(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" height=\"%s\""
                + " viewBox=\"0 0 %s %s\" font-family=\"sans-serif\">%n<title>%s</title>%n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>%n",
            num(width), num(height), num(width), num(height), escape(title))
        + body
        + "</svg>\n";
  }
}

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
    double shownWidth = Math.max(0, w);
    double shownHeight = Math.max(0, h);
    return element(
        "rect", tooltip(title), "x y width height fill", x, y, shownWidth, shownHeight, fill);
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke) {
    return element("line", null, "x1 y1 x2 y2 stroke", x1, y1, x2, y2, stroke);
  }

  /** An open line through the points, given as x, y, x, y... */
  Svg polyline(String stroke, double... xy) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i + 1 < xy.length; i += 2) {
      points.append(i == 0 ? "" : " ").append(num(xy[i])).append(',').append(num(xy[i + 1]));
    }
    return element(
        "polyline", null, "points fill stroke stroke-width", points.toString(), "none", stroke, 2);
  }

  Svg circle(double x, double y, double r, String fill, String title) {
    return element("circle", tooltip(title), "cx cy r fill", x, y, r, fill);
  }

  /**
   * Text at a point.
   *
   * @param anchor {@code start}, {@code middle} or {@code end}
   */
  Svg text(double x, double y, String text, String anchor, int size) {
    return element("text", escape(text), "x y text-anchor font-size", x, y, anchor, size);
  }

  private static String tooltip(String title) {
    return "<title>" + escape(title) + "</title>";
  }

  /**
   * Writes one element on a line of its own.
   *
   * @param name the element's name
   * @param content its content, already escaped; {@code null} for an empty element
   * @param attributes its attributes' names, separated by spaces
   * @param values their values, in order: a number is written by {@link #num}, text is escaped
   */
  private Svg element(String name, String content, String attributes, Object... values) {
    String[] names = attributes.split(" ");
    if (names.length != values.length) {
      throw new IllegalArgumentException(
          name + ": " + names.length + " attributes, values for " + values.length);
    }
    body.append('<').append(name);
    for (int i = 0; i < names.length; i++) {
      String value =
          values[i] instanceof Number number
              ? num(number.doubleValue())
              : escape((String) values[i]);
      body.append(' ').append(names[i]).append("=\"").append(value).append('"');
    }
    if (content == null) {
      body.append("/>\n");
    } else {
      body.append('>').append(content).append("</").append(name).append(">\n");
    }
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

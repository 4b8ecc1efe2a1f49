package app.getbodhi.session.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The charts parse as XML and hold one shape per figure, each labelled with its value. */
class ChartsTest {

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document document, String tag) {
    NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  /** The point figures at eight threads, one at another thread count (not charted), and scale. */
  private static Results results() {
    return Figures.of(
        """
        requestReadOnly | sqlite   | 8 | ours=50000 spring=4000
        requestReadOnly | mariadb  | 8 | ours=9000 raw=12000 spring=1500
        requestChanging | sqlite   | 1 | ours=7000
        load @10k       | postgres | 1 | ours=10000
        load @1M        | postgres | 1 | ours=8000
        """);
  }

  @Test
  void throughputHasABarPerMeasuredFigureInGroupsOfBackendAndOperation() throws Exception {
    Charts.Bars bars = Charts.throughput(results());

    assertThat(bars.groups())
        .containsExactly("requestReadOnly · sqlite", "requestReadOnly · mariadb");
    Document svg = parse(Charts.render(bars));

    // a bar's tooltip names its implementation, group and value; legend swatches have a title too
    List<String> titles = texts(svg, "title");
    assertThat(titles)
        .contains(
            "ours, requestReadOnly · sqlite: 50,000",
            "Spring Session JDBC, requestReadOnly · sqlite: 4,000",
            "raw JDBC, requestReadOnly · mariadb: 12,000");
    assertThat(titles.stream().filter(t -> t.contains(": ")).count()).isEqualTo(5);
    assertThat(texts(svg, "text"))
        .contains("requestReadOnly · sqlite", "50,000", "1,500", "not measured");
  }

  @Test
  void barLengthsAreProportionalToTheFigures() throws Exception {
    Charts.Bars bars =
        new Charts.Bars(
            "t", "ops/s", List.of("g"), List.of("a", "b"), new Double[][] {{100.0, 25.0}});
    NodeList rects =
        parse(Charts.render(bars)).getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
    List<Double> widths = new ArrayList<>();
    for (int i = 0; i < rects.getLength(); i++) {
      Element rect = (Element) rects.item(i);
      if (rect.getTextContent().startsWith("a, g") || rect.getTextContent().startsWith("b, g")) {
        widths.add(Double.parseDouble(rect.getAttribute("width")));
      }
    }
    assertThat(widths).hasSize(2);
    assertThat(widths.get(0) / widths.get(1)).isEqualTo(4.0);
  }

  @Test
  void scaleDrawsALinePerOperationAndBackendWithAPointPerSize() throws Exception {
    Charts.Lines lines = Charts.scale(results());

    assertThat(lines.series()).containsExactly("load · postgres");
    assertThat(lines.values()[0]).containsExactly(100.0, null, 125.0);
    Document svg = parse(Charts.render(lines));
    assertThat(svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength())
        .isEqualTo(1);
    assertThat(texts(svg, "title"))
        .contains(
            "load · postgres, 10k sessions: 100.0 µs", "load · postgres, 1M sessions: 125.0 µs");
  }

  @Test
  void textIsEscapedAndTheSameInputGivesTheSameBytes() throws Exception {
    Charts.Bars bars =
        new Charts.Bars(
            "<script>&\"'", "ops/s", List.of("a < b & c"), List.of("x\"y"), new Double[][] {{1.0}});
    String svg = Charts.render(bars);

    assertThat(svg).doesNotContain("<script>").isEqualTo(Charts.render(bars));
    Document document = parse(svg);
    assertThat(texts(document, "text")).contains("<script>&\"'", "a < b & c", "x\"y");
  }

  @Test
  void anEmptyRunStillGivesAValidChart() throws Exception {
    Document svg = parse(Charts.render(Charts.throughput(new Results())));

    assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
  }

  @Test
  void escapeDropsControlCharactersXmlCannotHold() {
    assertThat(Svg.escape("a\u0001b<")).isEqualTo("ab&lt;");
  }
}

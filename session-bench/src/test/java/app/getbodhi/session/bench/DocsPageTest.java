package app.getbodhi.session.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A run replaces the figures between the page's markers and nothing else. */
class DocsPageTest {

  private static final String PAGE =
      "# Benchmarks\n\nprose\n\n" + DocsPage.BEGIN + "\nold table\n" + DocsPage.END + "\n\nmore\n";

  @Test
  void theMarkedRegionIsReplacedAndTheRestKept() {
    String page = DocsPage.replaceFigures(PAGE, "| new | table |");

    assertThat(page)
        .isEqualTo(
            "# Benchmarks\n\nprose\n\n"
                + DocsPage.BEGIN
                + "\n| new | table |\n"
                + DocsPage.END
                + "\n\nmore\n");
    assertThat(DocsPage.replaceFigures(page, "| new | table |\n")).isEqualTo(page);
  }

  @Test
  void aPageWithoutTheMarkersIsRefused() {
    assertThatThrownBy(() -> DocsPage.replaceFigures("# Benchmarks\n", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DocsPage.BEGIN);
  }

  @Test
  void theProjectPageHasTheMarkers() throws IOException {
    String page = Files.readString(Path.of("../docs", DocsPage.PAGE));

    assertThat(page.indexOf(DocsPage.BEGIN)).isNotNegative().isLessThan(page.indexOf(DocsPage.END));
    assertThat(page.lines().count()).isLessThanOrEqualTo(250);
  }
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's front page tells the truth: every Java snippet in README.md compiles against the
 * library as built, and the {@code /healthz} body and the {@code --help} text it shows are what the
 * demo and the tool really print. A change to the API or the tool that leaves the page behind fails
 * here.
 */
class ReadmeTest {

  /** The names a snippet may use without declaring them: what the page's prose says they are. */
  private static final String SNIPPET_PARAMETERS =
      "jakarta.servlet.ServletContext servletContext,"
          + " jakarta.servlet.http.HttpServletRequest request";

  private static final List<String> SNIPPET_IMPORTS =
      List.of(
          "app.getbodhi.session.*",
          "app.getbodhi.session.service.*",
          "app.getbodhi.session.servlet.*",
          "app.getbodhi.session.web.*",
          "jakarta.servlet.http.*",
          "java.time.*",
          "java.util.*");

  private static final Pattern FENCE =
      Pattern.compile("(?ms)^```(\\w+)\\n(.*?)^```$", Pattern.MULTILINE);

  /** The front page links out for reference; past this it has become the reference. */
  private static final int MAX_LINES = 250;

  /** A Markdown link to a file of the project: {@code [text](docs/x.md#anchor)}. */
  private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(([\\w./-]+)(?:#[\\w-]*)?\\)");

  @TempDir Path home;

  private static String readme() throws IOException {
    // Surefire runs in the module's folder; the page is the project's.
    return Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
  }

  /** The bodies of the page's fenced blocks in one language, in order. */
  private static List<String> blocks(String text, String language) {
    List<String> found = new ArrayList<>();
    Matcher fence = FENCE.matcher(text);
    while (fence.find()) {
      if (fence.group(1).equals(language)) {
        found.add(fence.group(2));
      }
    }
    return found;
  }

  /** The first block of a language after a marker in the text. */
  private static String blockAfter(String text, String marker, String language) {
    int at = text.indexOf(marker);
    assertThat(at).as("README.md has %s", marker).isNotNegative();
    List<String> after = blocks(text.substring(at), language);
    assertThat(after).as("a %s block after %s", language, marker).isNotEmpty();
    return after.get(0);
  }

  @Test
  void theFrontPageStaysShortAndItsLinksLeadToFiles() throws IOException {
    String text = readme();
    Path root = Path.of("").toAbsolutePath().getParent();

    assertThat(text.lines().count()).as("README.md's lines").isLessThanOrEqualTo(MAX_LINES);
    Matcher link = LOCAL_LINK.matcher(text);
    while (link.find()) {
      assertThat(root.resolve(link.group(1))).as("README.md links to %s", link.group(1)).exists();
    }
  }

  @Test
  void everyJavaSnippetCompilesAgainstTheLibrary() throws IOException {
    List<String> snippets = blocks(readme(), "java");
    assertThat(snippets).as("README.md's Java snippets").hasSizeGreaterThanOrEqualTo(3);

    List<JavaFileObject> sources = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      StringBuilder source = new StringBuilder();
      SNIPPET_IMPORTS.forEach(name -> source.append("import ").append(name).append(";\n"));
      source
          .append("class Snippet")
          .append(i)
          .append(" {\n  void run(")
          .append(SNIPPET_PARAMETERS)
          .append(") throws Exception {\n")
          .append(snippets.get(i))
          .append("  }\n}\n");
      sources.add(new Source("Snippet" + i, source.toString()));
    }

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      Path classes = Files.createDirectories(home.resolve("classes"));
      List<String> options =
          List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString());
      boolean compiled = javac.getTask(null, files, diagnostics, options, null, sources).call();

      assertThat(compiled)
          .as("README.md's snippets compile: %s", diagnostics.getDiagnostics())
          .isTrue();
    }
  }

  @Test
  void theHelpTextIsTheToolsOwn() throws IOException {
    String shown = blockAfter(readme(), "Its whole help:", "text");

    Cli.Run help = Cli.withHome(home).run("--help");

    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out()).isEqualTo(shown);
  }

  @Test
  void theHealthBodyIsTheDemosOwn() throws Exception {
    String shown = blockAfter(readme(), "/healthz", "json");

    try (LocalDemo demo = LocalDemo.start(home)) {
      String body = new WebClient(demo.address()).get("/healthz").body();

      ObjectMapper json = new ObjectMapper();
      assertThat(json.readTree(body)).isEqualTo(json.readTree(shown));
    }
  }

  /** A source file held in memory. */
  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String className, String code) {
      super(URI.create("string:///" + className + Kind.SOURCE.extension), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}

package app.getbodhi.session.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionService;
import app.getbodhi.session.tests.servlet.FilterServer;
import app.getbodhi.session.tests.servlet.SetCookie;
import app.getbodhi.session.tests.servlet.TestServlets.ScriptServlet;
import app.getbodhi.session.web.SessionManagerLayer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage example in {@link SessionManagerFilter}'s class comment compiles and works as written:
 * it is copied below as an application's start-up code, a test checks that the copy and the class
 * comment say the same (whitespace aside), and another runs it in Tomcat and keeps a session across
 * two requests.
 */
class FilterExampleTest {

  private static final Path FILTER_SOURCE =
      Path.of("src/main/java/app/getbodhi/session/servlet/SessionManagerFilter.java");

  private static final Path THIS_SOURCE =
      Path.of("src/test/java/app/getbodhi/session/servlet/FilterExampleTest.java");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

  @TempDir Path dir;

  /** An application's start-up code around the example. */
  private record Startup(SessionService sessionService) implements ServletContainerInitializer {
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext servletContext) {
      // example begins
      SessionManagerLayer layer = sessionService.sessionLayer();
      EnumSet<DispatcherType> dispatches = EnumSet.copyOf(SessionManagerFilter.DISPATCHER_TYPES);
      servletContext
          .addFilter("sessions", new SessionManagerFilter(layer))
          .addMappingForUrlPatterns(dispatches, false, "/*");
      // example ends
    }
  }

  @Test
  void the_class_comment_shows_the_code_that_runs_here() throws IOException {
    String documented =
        between(Files.readAllLines(FILTER_SOURCE), " * <pre>{@code", " * }</pre>").stream()
            .map(line -> line.replaceFirst("^ \\*", ""))
            .reduce("", String::concat);
    String run =
        between(Files.readAllLines(THIS_SOURCE), "// example begins", "// example ends").stream()
            .reduce("", String::concat);

    assertThat(withoutWhitespace(run)).isNotEmpty().isEqualTo(withoutWhitespace(documented));
  }

  @Test
  void the_example_installs_a_filter_that_keeps_a_session_across_requests() throws Exception {
    SettingService settings =
        SettingService.of(
            Map.of(SettingService.BODHI_SESSION_DB_URL, "sqlite:" + dir.resolve("s.sqlite")));
    try (DefaultSessionService sessions = DefaultSessionService.connect(settings);
        FilterServer server =
            FilterServer.startTomcat(
                new Startup(sessions), Map.of("/session", new ScriptServlet()))) {

      HttpResponse<String> created = get(server, "/session?do=set:k:v", null);
      List<String> cookies = created.headers().allValues("Set-Cookie");
      assertThat(cookies).hasSize(1);
      SetCookie cookie = SetCookie.parse(cookies.get(0));
      HttpResponse<String> read =
          get(server, "/session?do=get:k", cookie.name() + "=" + cookie.value());

      assertThat(cookie.name()).isEqualTo(SessionManagerLayer.DEFAULT_COOKIE_NAME);
      assertThat(read.body()).isEqualTo("k=v\n");
    }
  }

  private static HttpResponse<String> get(FilterServer server, String target, String cookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(target));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** The lines strictly between the first line that ends with {@code start} and {@code end}. */
  private static List<String> between(List<String> lines, String start, String end) {
    int from = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).stripTrailing();
      if (from < 0 && line.endsWith(start)) {
        from = i + 1;
      } else if (from >= 0 && line.endsWith(end)) {
        return lines.subList(from, i);
      }
    }
    throw new AssertionError("no lines between '" + start + "' and '" + end + "'");
  }

  private static String withoutWhitespace(String text) {
    return text.replaceAll("\\s+", "");
  }
}

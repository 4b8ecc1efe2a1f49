package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spring.shop.Cart;
import ch.qos.logback.classic.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.session.Session;

/**
 * An upgrade drops a class from {@code bodhi.session.serialization.allowed-packages}: two starts of
 * one application on one SQLite file, the second with a narrower list. The browser whose session
 * holds a value of the dropped class gets a fresh session over real HTTP, not an error page, and
 * one WARN line is logged for that session, not one per request.
 */
class ClassDroppedBetweenStartsTest {

  @TempDir Path dir;

  private ConfigurableApplicationContext start(String allowedPackages) {
    return new SpringApplicationBuilder(SmokeApp.class)
        .run(
            "--server.port=0",
            "--bodhi.session.db-url=sqlite:" + dir.resolve("sessions.sqlite"),
            "--bodhi.session.cleanup-interval=0",
            "--bodhi.session.serialization.allowed-packages=" + allowedPackages);
  }

  private static HttpResponse<String> visit(int port, String sessionId) throws Exception {
    String cookie =
        Base64.getEncoder().encodeToString(sessionId.getBytes(StandardCharsets.US_ASCII));
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/public"))
                .header("Cookie", "SESSION=" + cookie)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void the_browser_gets_a_fresh_session_and_one_warn_line() throws Exception {
    String id;
    try (ConfigurableApplicationContext before = start("app.getbodhi.session.spring.shop")) {
      BodhiSessionRepository repository = before.getBean(BodhiSessionRepository.class);
      Session session = repository.createSession();
      session.setAttribute("cart", new Cart(List.of("apples"), null));
      session.setAttribute("visits", 41L);
      repository.save(session);
      id = session.getId();
    }

    try (ConfigurableApplicationContext after = start("app.getbodhi.session.spring.gadget");
        CapturedLog log = new CapturedLog(BodhiSessionRepository.class)) {
      int port = after.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

      HttpResponse<String> first = visit(port, id);
      HttpResponse<String> second = visit(port, id);

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("visits=1");
      assertThat(first.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("SESSION="));
      assertThat(second.body()).isEqualTo("visits=1");
      assertThat(log.events()).hasSize(1);
      assertThat(log.events().get(0).getLevel()).isEqualTo(Level.WARN);
      assertThat(log.events().get(0).getFormattedMessage()).contains("'cart'").doesNotContain(id);
      assertThat(log.events().get(0).getThrowableProxy()).isNull();
      assertThat(
              after
                  .getBean(DefaultSessionService.class)
                  .getSessionStore()
                  .load(app.getbodhi.session.SessionId.parse(id).orElseThrow()))
          .isEmpty();
    }
  }
}

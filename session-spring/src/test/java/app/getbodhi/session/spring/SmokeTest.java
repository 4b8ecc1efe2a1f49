package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.service.DefaultSessionService;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
    classes = SmokeApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmokeTest {

  @TempDir static Path dir;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry registry) {
    registry.add("bodhi.session.db-url", () -> "sqlite:" + dir.resolve("s.sqlite"));
    // on an embedded server Boot takes the timeout from here when spring.session.timeout is unset
    registry.add("server.servlet.session.timeout", () -> "7m");
  }

  @LocalServerPort int port;
  @Autowired DefaultSessionService service;

  @Test
  void login_and_visit() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String base = "http://127.0.0.1:" + port;
    HttpResponse<String> first =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/public")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(first.body()).isEqualTo("visits=1");
    HttpResponse<String> second =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/public")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(second.body()).isEqualTo("visits=2");
    HttpResponse<String> login =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=secret"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(302);
    HttpResponse<String> me =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/me")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(me.body()).isEqualTo("user=alice");
    assertThat(service.countSessionsForUser("alice")).isEqualTo(1);
    // the auto-configured service, on the file bodhi.session.db-url names
    assertThat(dir.resolve("s.sqlite")).exists();
    assertThat(service.cleaner()).isPresent();
    assertThat(service.sessionLayer().expiry()).isEqualTo(java.time.Duration.ofMinutes(7));
    HttpResponse<String> third =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/public")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(third.body()).isEqualTo("visits=3");
  }
}

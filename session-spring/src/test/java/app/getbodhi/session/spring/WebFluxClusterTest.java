package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spring.testing.BlockHoundInstalled;
import app.getbodhi.session.tck.TestDatabase;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two WebFlux nodes on one PostgreSQL in cluster mode, each its own context on its own port with
 * nothing shared but the database, Spring Security allowing one session per user ({@code
 * maximumSessions(1)} through the auto-configured registry): a session moves between nodes, and a
 * login on one node logs the user's other browser out on the other. BlockHound is installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(BlockHoundInstalled.class)
@Timeout(300)
class WebFluxClusterTest {

  private final List<ConfigurableApplicationContext> started = new ArrayList<>();
  private TestDatabase schema;
  private int one;
  private int two;

  @BeforeAll
  void startTwoNodes() {
    schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String secret = Base64.getEncoder().encodeToString(key);
    one = start(secret);
    two = start(secret);
  }

  @AfterAll
  void stopEverything() {
    started.forEach(ConfigurableApplicationContext::close);
    if (schema != null) {
      schema.close();
    }
  }

  private int start(String secret) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(WebFluxHttpTest.App.class)
            .run(
                "--spring.main.web-application-type=reactive",
                "--server.port=0",
                "--bodhi.session.db-url=" + schema.url(),
                "--bodhi.session.deployment=cluster",
                "--bodhi.session.secret=" + secret,
                "--test.maximum-sessions=1");
    started.add(context);
    return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  /** One browser: its own cookies, sent to whichever node it is pointed at. */
  static final class Browser {
    private final HttpClient client =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(30))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    Browser logIn(int port) throws IOException, InterruptedException {
      HttpResponse<String> login =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=secret"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(302);
      assertThat(login.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
      return this;
    }

    boolean isLoggedInOn(int port) throws IOException, InterruptedException {
      HttpResponse<String> peek = get(port, "/peek");
      return peek.statusCode() == 200 && peek.body().endsWith("user=alice");
    }
  }

  @Test
  void a_session_made_on_one_node_is_used_on_the_other_and_one_session_per_user_holds_across_them()
      throws Exception {
    Browser laptop = new Browser().logIn(one);
    assertThat(laptop.get(one, "/public").body()).isEqualTo("visits=1");
    assertThat(laptop.get(two, "/public").body()).isEqualTo("visits=2");
    assertThat(laptop.isLoggedInOn(two)).isTrue();

    Browser phone = new Browser().logIn(two);

    assertThat(laptop.isLoggedInOn(one)).isFalse();
    assertThat(laptop.isLoggedInOn(two)).isFalse();
    assertThat(phone.isLoggedInOn(one)).isTrue();
    assertThat(phone.isLoggedInOn(two)).isTrue();
    assertThat(started.get(0).getBean(DefaultSessionService.class).countSessionsForUser("alice"))
        .isEqualTo(1);
  }
}

package app.getbodhi.session.webflux.example;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.DefaultSessionService;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the WebFlux example on one PostgreSQL, in cluster mode with one secret (read
 * from a file, as operators give it) and one session per user, as two nodes behind a load balancer:
 * each its own context on its own port in this JVM, nothing shared but the database. BlockHound is
 * installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(BlockHoundInstalled.class)
@Timeout(300)
class WebFluxExampleClusterTest {

  private final List<ConfigurableApplicationContext> started = new ArrayList<>();
  private PostgresSchema schema;
  private int one;
  private int two;

  @BeforeAll
  void startTwoNodes(@TempDir Path dir) throws IOException {
    schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path secret =
        Files.writeString(
            dir.resolve("session.secret"), Base64.getEncoder().encodeToString(key) + "\n");
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

  @BeforeEach
  void noSessionsOfTheDemoUsers() {
    ExamplePages.USERS.forEach(sessions()::clearSessionsForUser);
  }

  private DefaultSessionService sessions() {
    return started.get(0).getBean(DefaultSessionService.class);
  }

  private int start(Path secretFile) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(WebFluxExampleApplication.class)
            .run(
                "--server.port=0",
                "--bodhi.session.db-url=" + schema.url(),
                "--bodhi.session.deployment=cluster",
                "--bodhi.session.secret-file=" + secretFile,
                "--example.maximum-sessions=1");
    started.add(context);
    return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  @Test
  void a_session_made_on_one_node_is_used_on_the_other_with_its_visit_counter() {
    Browser onOne = Browser.on(one).logIn("alice");
    assertThat(Browser.text(onOne.home(), "visits")).isEqualTo("1");

    Browser onTwo = onOne.at(two);

    assertThat(Browser.text(onTwo.home(), "visits")).isEqualTo("2");
    assertThat(Browser.text(onOne.home(), "visits")).isEqualTo("3");
  }

  @Test
  void logging_in_on_one_node_logs_the_users_browser_on_the_other_out() {
    Browser laptop = Browser.on(one).logIn("alice");

    Browser phone = Browser.on(two).logIn("alice");

    assertThat(laptop.isSentToLogin()).isTrue();
    assertThat(laptop.at(two).isSentToLogin()).isTrue();
    assertThat(Browser.text(phone.home(), "user")).isEqualTo("alice");
    assertThat(Browser.text(phone.at(one).home(), "user")).isEqualTo("alice");
    assertThat(sessions().countSessionsForUser("alice")).isEqualTo(1);
  }

  @Test
  void log_out_everywhere_on_one_node_is_seen_on_the_other() {
    Browser laptop = Browser.on(one).logIn("bob");
    HttpResponse<String> out = laptop.submit(laptop.home(), "/logout-everywhere", Map.of());

    assertThat(Browser.location(out)).isEqualTo("/login?logout");
    assertThat(laptop.at(two).isSentToLogin()).isTrue();
    assertThat(sessions().countSessionsForUser("bob")).isZero();
  }
}

package app.getbodhi.session.example;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
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
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of an example on one PostgreSQL, in cluster mode with one secret (read from a file,
 * as operators give it), as two nodes behind a load balancer: each its own application context on
 * its own port in this JVM, nothing shared but the database. A browser moved from one node to the
 * other keeps its session; what one node does to a user's sessions (log out everywhere, revoke, the
 * session limit) the other sees on the very next request, as neither keeps sessions in memory. Both
 * examples pass these tests; a subclass names its application.
 *
 * <p>The database is the tests' PostgreSQL ({@code BODHI_TEST_PG_URL}, else an embedded server), a
 * fresh schema for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
public abstract class ExampleClusterTestBase {

  private final List<ConfigurableApplicationContext> started = new ArrayList<>();
  private PostgresSchema schema;
  private Path secretFile;
  private Node one;
  private Node two;

  /** One instance of the example: its context and its port. */
  protected record Node(ConfigurableApplicationContext context, int port) {
    /** A new browser, with no cookie yet, on this node. */
    public HttpBrowser browser() {
      return HttpBrowser.on(context);
    }

    /** This node's session service. */
    public DefaultSessionService sessions() {
      return context.getBean(DefaultSessionService.class);
    }
  }

  /** The example's application class, which {@link #start} runs. */
  protected abstract Class<?> application();

  @BeforeAll
  void startTwoNodes(@TempDir Path dir) throws IOException {
    schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    secretFile =
        Files.writeString(
            dir.resolve("session.secret"), Base64.getEncoder().encodeToString(key) + "\n");
    one = start();
    two = start();
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
    DemoUsers.NAMES.forEach(one.sessions()::clearSessionsForUser);
  }

  @Test
  void aSessionMadeOnOneNodeIsUsedOnTheOtherWithItsVisitCounter() {
    HttpBrowser onOne = one.browser().logInOk("alice");
    assertThat(HttpBrowser.text(onOne.home(), "visits")).isEqualTo("1");

    HttpBrowser onTwo = onOne.at(two.port());
    String home = onTwo.home();

    assertThat(HttpBrowser.text(home, "user")).isEqualTo("alice");
    assertThat(HttpBrowser.text(home, "visits")).isEqualTo("2");
    assertThat(HttpBrowser.text(home, "sessions")).isEqualTo("1");
    assertThat(HttpBrowser.text(onOne.home(), "visits")).isEqualTo("3");
    // node 2 marks the session node 1 made as this device
    String ref =
        two.sessions()
            .getSessionStore()
            .refOf(SessionId.parse(onTwo.sessionId().orElseThrow()).orElseThrow())
            .value();
    assertThat(onTwo.get("/devices").body())
        .contains("id=\"device-" + ref + "\" class=\"device this-device\"");
  }

  @Test
  void logOutEverywhereOnOneNodeIsSeenOnTheOther() {
    HttpBrowser laptop = one.browser().logInOk("alice");
    HttpBrowser phone = two.browser().logInOk("alice");
    HttpBrowser bob = two.browser().logInOk("bob");
    assertThat(HttpBrowser.text(phone.home(), "sessions")).isEqualTo("2");

    HttpResponse<String> out = laptop.postFromHome("/logout-everywhere");

    assertThat(HttpBrowser.location(out)).isEqualTo("/login?logout");
    assertThat(phone.isSentToLogin()).isTrue();
    assertThat(laptop.at(two.port()).isSentToLogin()).isTrue();
    assertThat(two.sessions().countSessionsForUser("alice")).isZero();
    bob.assertLoggedInAs("bob");
  }

  @Test
  void aDeviceRevokedOnOneNodeIsLoggedOutOnTheOther() {
    HttpBrowser laptop = one.browser().logInOk("alice");
    HttpBrowser phone = two.browser().logInOk("alice");
    String page = laptop.get("/devices").body();
    String phoneRef =
        HttpBrowser.revokeRefs(page).stream()
            .filter(ref -> !page.contains("id=\"device-" + ref + "\" class=\"device this-device\""))
            .findFirst()
            .orElseThrow();

    laptop.submit(page, "/devices/revoke", Map.of("ref", phoneRef));

    assertThat(phone.isSentToLogin()).isTrue();
    laptop.at(two.port()).assertLoggedInAs("alice");
  }

  @Test
  void withOneSessionAllowedLoggingInOnOneNodeLogsTheBrowserOnTheOtherOut() {
    // the limit is fixed at start-up: two more nodes, both with it, on the same database
    assertTheLimitHoldsAcrossNodes(
        start("--example.maximum-sessions=1"), start("--example.maximum-sessions=1"));
  }

  /**
   * Logs alice in on one node, then on the other, both started with {@code
   * example.maximum-sessions=1}: the first browser is logged out on both nodes, the second logged
   * in on both.
   */
  protected static void assertTheLimitHoldsAcrossNodes(Node three, Node four) {
    HttpBrowser laptop = three.browser().logInOk("alice");
    laptop.assertLoggedInAs("alice");

    HttpBrowser phone = four.browser().logInOk("alice");

    assertThat(laptop.isSentToLogin()).isTrue();
    assertThat(laptop.at(four.port()).isSentToLogin()).isTrue();
    phone.assertLoggedInAs("alice");
    phone.at(three.port()).assertLoggedInAs("alice");
    assertThat(four.sessions().countSessionsForUser("alice")).isEqualTo(1);
  }

  /**
   * Starts one more node on the shared database, with the cluster settings and any others.
   *
   * @param more more {@code --name=value} properties
   * @return the node; closed after the class
   */
  protected Node start(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--bodhi.session.db-url=" + schema.url(),
                "--bodhi.session.deployment=cluster",
                "--bodhi.session.secret-file=" + secretFile));
    args.addAll(List.of(more));
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(application()).run(args.toArray(String[]::new));
    started.add(context);
    int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return new Node(context, port);
  }
}

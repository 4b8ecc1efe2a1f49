package app.getbodhi.session.spring.example;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example on a random port, its sessions in a SQLite file: one application context for every
 * class that extends this (Spring's test context cache keys it by this class's configuration),
 * because each start costs seconds. Each test starts with no session of the demo users.
 */
@SpringBootTest(
    classes = ExampleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ExampleAppTestBase {

  // one file for the shared context, which outlives any one test class (so not a @TempDir, which
  // JUnit deletes after its class); removed when the JVM exits
  private static final SqliteFixture DB = SqliteFixture.tempFile();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(DB::close, "example-test-db-cleanup"));
  }

  @DynamicPropertySource
  static void sessionDatabase(DynamicPropertyRegistry registry) {
    registry.add("bodhi.session.db-url", DB::url);
  }

  @LocalServerPort int port;
  @Autowired DefaultSessionService sessions;

  @BeforeEach
  void noSessionsOfTheDemoUsers() {
    ExamplePages.USERS.forEach(sessions::clearSessionsForUser);
  }

  HttpBrowser browser() {
    return HttpBrowser.on(port);
  }

  /** The ref the store keeps a browser's session under. */
  String refOf(HttpBrowser browser) {
    return refOfId(browser.sessionId().orElseThrow());
  }

  /** The ref of a session id. */
  String refOfId(String sessionId) {
    ManagedSessionStore store = sessions.getSessionStore();
    return store.refOf(SessionId.parse(sessionId).orElseThrow()).value();
  }
}

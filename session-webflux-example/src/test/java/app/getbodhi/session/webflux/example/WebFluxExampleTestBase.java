package app.getbodhi.session.webflux.example;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The WebFlux example on Netty on a random port, its sessions in a SQLite file, BlockHound
 * installed (a blocking call on an event loop fails the request, and with it the test): one
 * application context for every class that extends this, since each start costs seconds. Each test
 * starts with no session of the demo users.
 */
@SpringBootTest(
    classes = WebFluxExampleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(BlockHoundInstalled.class)
abstract class WebFluxExampleTestBase {

  // one file for the shared context, which outlives any one test class; removed at JVM exit
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

  /** The ref the store keeps a session id under. */
  String refOfId(String sessionId) {
    return sessions.getSessionStore().refOf(SessionId.parse(sessionId).orElseThrow()).value();
  }

  /** The ref the store keeps a browser's session under. */
  String refOf(Browser browser) {
    return refOfId(browser.sessionId().orElseThrow());
  }
}

package app.getbodhi.session.example;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An example on a random port, its sessions in a SQLite file. A subclass names the application with
 * its example's test annotation ({@code @SpringBootTest} with the application class and a random
 * port): every class so annotated shares one application context (Spring's test context cache keys
 * it by that configuration), because each start costs seconds. Each test starts with no session of
 * the demo users.
 */
public abstract class ExampleAppTestBase {

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

  /** The example's port. */
  @LocalServerPort protected int port;

  /** The example's session service, over the same store as its pages. */
  @Autowired protected DefaultSessionService sessions;

  @Autowired private ApplicationContext application;

  @BeforeEach
  void noSessionsOfTheDemoUsers() {
    DemoUsers.NAMES.forEach(sessions::clearSessionsForUser);
  }

  /** A new browser, with no cookie yet. */
  protected HttpBrowser browser() {
    return HttpBrowser.on(application);
  }

  /** The ref the store keeps a browser's session under. */
  protected String refOf(HttpBrowser browser) {
    return refOfId(browser.sessionId().orElseThrow());
  }

  /** The session id in the value of the example's {@linkplain HttpBrowser#COOKIE cookie}. */
  protected String sessionIdInCookie(String value) {
    return HttpBrowser.SessionCookie.of(application).sessionId(value);
  }

  /** The ref of a session id. */
  protected String refOfId(String sessionId) {
    return sessions.getSessionStore().refOf(SessionId.parse(sessionId).orElseThrow()).value();
  }
}

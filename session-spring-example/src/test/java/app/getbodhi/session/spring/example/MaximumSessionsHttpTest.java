package app.getbodhi.session.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.example.DemoUsers;
import app.getbodhi.session.example.HttpBrowser;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code example.maximum-sessions=1}: Spring Security's {@code maximumSessions(1)} over the store's
 * session registry. A context of its own, since the limit is fixed at start-up.
 */
@SpringBootTest(
    classes = ExampleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "example.maximum-sessions=1")
class MaximumSessionsHttpTest {

  private static final SqliteFixture DB = SqliteFixture.tempFile();

  @DynamicPropertySource
  static void sessionDatabase(DynamicPropertyRegistry registry) {
    registry.add("bodhi.session.db-url", DB::url);
  }

  @AfterAll
  static void removeTheDatabase() {
    // the context (cached by Spring until the JVM exits) keeps its pool open; SQLite on Linux
    // lets the folder go all the same, and nothing runs against it after this class
    DB.close();
  }

  @Autowired ApplicationContext application;
  @Autowired DefaultSessionService sessions;

  @BeforeEach
  void noSessionsOfTheDemoUsers() {
    DemoUsers.NAMES.forEach(sessions::clearSessionsForUser);
  }

  @Test
  void loggingInFromASecondBrowserLogsTheFirstOut() {
    HttpBrowser laptop = HttpBrowser.on(application).logInOk("alice");
    assertThat(HttpBrowser.text(laptop.home(), "sessions")).isEqualTo("1");

    HttpBrowser phone = HttpBrowser.on(application).logInOk("alice");

    assertThat(laptop.isSentToLogin()).isTrue();
    String home = phone.home();
    assertThat(HttpBrowser.text(home, "user")).isEqualTo("alice");
    assertThat(HttpBrowser.text(home, "sessions")).isEqualTo("1");
    assertThat(sessions.countSessionsForUser("alice")).isEqualTo(1);
  }

  @Test
  void theLimitIsPerUser() {
    HttpBrowser alice = HttpBrowser.on(application).logInOk("alice");
    HttpBrowser bob = HttpBrowser.on(application).logInOk("bob");
    HttpBrowser carol = HttpBrowser.on(application).logInOk("carol");

    alice.assertLoggedInAs("alice");
    bob.assertLoggedInAs("bob");
    carol.assertLoggedInAs("carol");
  }

  @Test
  void loggingInAgainFromTheFirstBrowserLogsTheSecondOut() {
    HttpBrowser laptop = HttpBrowser.on(application).logInOk("alice");
    HttpBrowser phone = HttpBrowser.on(application).logInOk("alice");
    assertThat(laptop.isSentToLogin()).isTrue();

    laptop.logInOk("alice");

    assertThat(phone.isSentToLogin()).isTrue();
    laptop.assertLoggedInAs("alice");
  }
}

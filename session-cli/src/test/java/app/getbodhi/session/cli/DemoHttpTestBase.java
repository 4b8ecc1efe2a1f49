package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the tests that talk HTTP to the demo: a {@link LocalDemo} of its own for each test,
 * over a temporary BODHI_HOME, and a cookie-keeping client of it.
 */
abstract class DemoHttpTestBase {

  @TempDir Path home;

  /** The demo of the running test. */
  LocalDemo demo;

  /** A client with a cookie jar of its own, pointed at {@link #demo}. */
  WebClient browser;

  @BeforeEach
  void startDemo() throws Exception {
    demo = LocalDemo.start(home);
    browser = new WebClient(demo.address());
  }

  @AfterEach
  void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  /**
   * Asserts that the response sends the browser home with a 303, so that a reload does not post
   * again.
   */
  static void assertSeeOtherHome(HttpResponse<?> response) {
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).contains("/");
  }

  /**
   * Asserts that {@link #browser} logging in as a name is refused with a 400 page that says why,
   * and that no session begins.
   *
   * @param name the name typed into the login form
   * @param reason what the page must say
   */
  void assertLoginRefused(String name, String reason) {
    HttpResponse<String> response = browser.login(name);

    assertThat(response.statusCode()).as(name).isEqualTo(400);
    assertThat(response.body()).contains(reason);
    assertThat(browser.cookie()).isEmpty();
  }
}

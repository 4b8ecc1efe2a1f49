package app.getbodhi.session.cli;

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
}

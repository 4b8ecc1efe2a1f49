package app.getbodhi.session.tests.servlet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The one place a test class opens, resets and closes its {@link FilterHarness}: opened before the
 * class, {@link FilterHarness#startTest()} and {@link FilterHarness#finishTest()} around each test,
 * closed after the class. A test class extends it and says which harness.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HarnessLifecycle {

  /** The harness of the test class: database, stores, server and client. */
  protected FilterHarness http;

  /**
   * Builds the test class's harness, not yet open; called once, before the first test.
   *
   * @return such as {@code
   *     FilterHarness.on(SqliteFixture.tempFile()).stores(SqliteSessionStore::new)}
   */
  protected abstract FilterHarness newHarness();

  @BeforeAll
  void openHarness() {
    http = newHarness().open();
  }

  @BeforeEach
  void startTest() {
    http.startTest();
  }

  @AfterEach
  void finishTest() throws Exception {
    http.finishTest();
  }

  @AfterAll
  void closeHarness() throws Exception {
    if (http != null) {
      http.close();
    }
  }
}

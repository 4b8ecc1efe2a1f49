package app.getbodhi.session.spring.example;

import app.getbodhi.session.example.ExampleClusterTestBase;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of the Spring MVC example on one PostgreSQL: the cluster tests both examples pass, and
 * the session limit through Spring Session's own registry, which only this example offers.
 */
class ExampleClusterTest extends ExampleClusterTestBase {

  @Override
  protected Class<?> application() {
    return ExampleApplication.class;
  }

  @Test
  void withSpringSessionsOwnRegistryLoggingInOnOneNodeLogsTheBrowserOnTheOtherOut() {
    // Spring Session's SpringSessionBackedSessionRegistry over the repository, as documented
    assertTheLimitHoldsAcrossNodes(
        start("--example.maximum-sessions=1", "--example.session-registry=spring"),
        start("--example.maximum-sessions=1", "--example.session-registry=spring"));
  }
}

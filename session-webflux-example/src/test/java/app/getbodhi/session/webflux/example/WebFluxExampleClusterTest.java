package app.getbodhi.session.webflux.example;

import app.getbodhi.session.example.ExampleClusterTestBase;
import app.getbodhi.session.spring.testing.BlockHoundInstalled;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two nodes of the WebFlux example on one PostgreSQL, BlockHound installed. */
@ExtendWith(BlockHoundInstalled.class)
class WebFluxExampleClusterTest extends ExampleClusterTestBase {

  @Override
  protected Class<?> application() {
    return WebFluxExampleApplication.class;
  }
}

package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The demo as {@code serve} runs it (metered service, {@code /metrics} on the same registry), in
 * the test's own process: on a free loopback port, with sessions in the SQLite file of a temporary
 * BODHI_HOME. For the tests that talk HTTP to the demo or drive a browser at it.
 *
 * @param service the session service the demo runs on
 * @param server the running demo
 */
record LocalDemo(DefaultSessionService service, DemoServer server) implements AutoCloseable {

  /**
   * Connects the service and starts the demo; it stops at once when closed, without the grace
   * period that serve gives requests in flight.
   *
   * @param home the BODHI_HOME whose default SQLite file holds the sessions
   * @return the running demo; the caller closes it
   */
  static LocalDemo start(Path home) throws Exception {
    PrometheusMeterRegistry metrics = DemoServer.newMetrics();
    DefaultSessionService service =
        DemoServer.connect(
            SettingService.of(Map.of(SettingService.BODHI_HOME, home.toString())), metrics);
    try {
      return new LocalDemo(
          service, DemoServer.start(service, metrics, "127.0.0.1", 0, Duration.ZERO));
    } catch (Exception | Error e) {
      service.close();
      throw e;
    }
  }

  /** Where the demo listens: {@code http://127.0.0.1:PORT/}. */
  URI address() {
    return server.address();
  }

  /** Stops the server, then closes the service. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      service.close();
    }
  }
}

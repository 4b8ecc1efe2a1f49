package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionService;
import app.getbodhi.session.service.metrics.MeteredSessionStore;
import app.getbodhi.session.servlet.SessionManagerFilter;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.web.CrossOriginProtection;
import app.getbodhi.session.web.SessionManagerLayer;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo web application on an embedded Jetty 12 (ee10): {@link DemoServlet} behind {@link
 * SessionManagerFilter}, so its ordinary {@code request.getSession()} calls are served from the
 * session store.
 *
 * <p>The demo's layer refuses cross-origin requests with unsafe methods ({@link
 * CrossOriginProtection}), so another site cannot log a visitor in or out. Every request is logged
 * by {@link AccessLog}; a failure is a generic page with a reference to the log ({@link
 * ErrorPages}). {@link #connect} opens a session service whose store and pool report to the
 * registry that {@code GET /metrics} serves.
 *
 * <p>{@link #close()} stops the server, letting requests in flight finish for up to {@link
 * #STOP_TIMEOUT}; it does not close the session service, which the caller owns.
 */
public final class DemoServer implements AutoCloseable {

  /** How long a stop waits for requests in flight. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);

  private final Server server;
  private final URI address;

  private DemoServer(Server server, URI address) {
    this.server = server;
    this.address = address;
  }

  /**
   * Starts the demo.
   *
   * @param service where sessions live and who can clear them
   * @param host the address to listen on, such as {@code 127.0.0.1}
   * @param port the port; 0 picks a free one, which {@link #address()} then shows
   * @return the running server
   * @throws Exception when Jetty cannot start, for example because the port is taken
   */
  public static DemoServer start(SessionService service, String host, int port) throws Exception {
    return start(service, host, port, STOP_TIMEOUT);
  }

  /**
   * Opens the session service the demo runs on, metered: the store's calls are timed by {@link
   * MeteredSessionStore} and its pool reports through HikariCP's Micrometer tracker, both into
   * {@code metrics}.
   *
   * @param settings the store's URL, deployment mode and session settings
   * @param metrics where the meters go; the one to pass to {@link #start(SessionService,
   *     PrometheusMeterRegistry, String, int, Duration)}
   * @return the service, its schema migrated; the caller closes it
   */
  public static DefaultSessionService connect(
      SettingService settings, PrometheusMeterRegistry metrics) {
    return DefaultSessionService.connect(
        settings,
        SessionStoreConfig.defaults()
            .withPoolMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics)),
        store -> new MeteredSessionStore(store, metrics));
  }

  /**
   * Returns a registry for {@link #connect} and {@link #start(SessionService,
   * PrometheusMeterRegistry, String, int, Duration)}.
   *
   * @return a new, empty Prometheus registry
   */
  public static PrometheusMeterRegistry newMetrics() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Starts the demo with a chosen stop timeout.
   *
   * @param service where sessions live and who can clear them
   * @param host the address to listen on, such as {@code 127.0.0.1}
   * @param port the port; 0 picks a free one, which {@link #address()} then shows
   * @param stopTimeout how long {@link #close()} lets requests in flight finish; zero stops at once
   *     (Jetty's graceful stop otherwise takes about a second even when all is idle, which tests
   *     need not wait for)
   * @return the running server
   * @throws Exception when Jetty cannot start, for example because the port is taken
   */
  public static DemoServer start(
      SessionService service, String host, int port, Duration stopTimeout) throws Exception {
    return start(service, newMetrics(), host, port, stopTimeout);
  }

  /**
   * Starts the demo, serving a registry's meters on {@code GET /metrics}.
   *
   * @param service where sessions live and who can clear them
   * @param metrics the registry {@code GET /metrics} shows, such as the one {@link #connect}
   *     reported to
   * @param host the address to listen on, such as {@code 127.0.0.1}
   * @param port the port; 0 picks a free one, which {@link #address()} then shows
   * @param stopTimeout how long {@link #close()} lets requests in flight finish; zero stops at once
   * @return the running server
   * @throws Exception when Jetty cannot start, for example because the port is taken
   */
  public static DemoServer start(
      SessionService service,
      PrometheusMeterRegistry metrics,
      String host,
      int port,
      Duration stopTimeout)
      throws Exception {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(host, "host");
    if (stopTimeout.isNegative()) {
      throw new IllegalArgumentException("stopTimeout must not be negative: " + stopTimeout);
    }
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // a demo has no reason to advertise the server's version
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setStopTimeout(stopTimeout.toMillis());
    // the process's shutdown hook stops the server; Jetty's own hook would race it
    server.setStopAtShutdown(false);
    server.setHandler(application(service, metrics));
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return new DemoServer(server, address(host, connector.getLocalPort()));
  }

  /**
   * The demo's servlet context: the access log, the error pages and the session filter, in that
   * order, before {@link DemoServlet}.
   */
  private static ServletContextHandler application(
      SessionService service, PrometheusMeterRegistry metrics) {
    // no Jetty SessionHandler: the filter is the only source of sessions
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    // first, so that it also times and logs the requests the session filter refuses
    context.addFilter(new FilterHolder(new AccessLog()), "/*", EnumSet.of(DispatcherType.REQUEST));
    // next, so that the access log sees the status of the page it renders for a failure
    context.addFilter(new FilterHolder(new ErrorPages()), "/*", EnumSet.of(DispatcherType.REQUEST));
    // what Jetty renders itself (a request it refuses before the filters) shows no causes either
    ErrorHandler errors = new ErrorHandler();
    errors.setShowStacks(false);
    errors.setShowCauses(false);
    errors.setShowMessageInTitle(false);
    context.setErrorHandler(errors);
    // the demo's forms post to the demo only: a page elsewhere must not log a visitor in or out
    SessionManagerLayer layer =
        service.sessionLayer().toBuilder()
            .crossOriginProtection(CrossOriginProtection.enabled())
            .build();
    context.addFilter(
        new FilterHolder(new SessionManagerFilter(layer)),
        "/*",
        EnumSet.copyOf(SessionManagerFilter.DISPATCHER_TYPES));
    context.addServlet(new ServletHolder("demo", new DemoServlet(service, metrics)), "/*");
    return context;
  }

  private static URI address(String host, int port) throws URISyntaxException {
    // URI brackets an IPv6 literal itself
    return new URI("http", null, host, port, "/", null, null);
  }

  /**
   * Returns where the demo listens, with the port actually bound.
   *
   * @return such as {@code http://127.0.0.1:8080/}
   */
  public URI address() {
    return address;
  }

  /**
   * Returns the port actually bound.
   *
   * @return the port
   */
  public int port() {
    return address.getPort();
  }

  /**
   * Waits until the server has stopped.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Stops the server; does nothing when it has stopped already. Requests still running when the
   * stop timeout ends are cut off: the server is stopped either way.
   */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (TimeoutException e) {
      // Jetty reports a graceful stop that ran out of time only after it has stopped everything
      LOG.warn(
          "Requests still running after {} were cut off.",
          Duration.ofMillis(server.getStopTimeout()));
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop the demo server: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "DemoServer[" + address + "]";
  }
}

package app.getbodhi.session.tests.servlet;

import app.getbodhi.session.servlet.SessionManagerFilter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded servlet container on a free loopback port that runs servlets behind a {@link
 * SessionManagerFilter}, mapped to {@code /*} for {@link SessionManagerFilter#DISPATCHER_TYPES}
 * ({@code REQUEST}, {@code ERROR}, {@code FORWARD}, {@code INCLUDE}) as the documentation shows:
 * Jetty 12 (ee10) or Tomcat 11 ({@link Container}), each with its default settings. The container's
 * own sessions are never asked for, so every {@code getSession()} goes through the filter.
 *
 * <p>Besides the given servlets, every server maps a page at {@value #SESSION_PAGE} that shows the
 * session it sees (the test servlets' {@code SessionPageServlet}), and uses it as the error page
 * for {@value #ERROR_PAGE_STATUS}: a {@code sendError(404)} renders it in an {@code ERROR}
 * dispatch.
 *
 * <pre>{@code
 * try (FilterServer server =
 *     FilterServer.start(new SessionManagerFilter(layer), Map.of("/app", new MyServlet()))) {
 *   HttpRequest request = HttpRequest.newBuilder(server.uri("/app?x=1")).build();
 *   ...
 * }
 * }</pre>
 */
public final class FilterServer implements AutoCloseable {

  /** The embedded containers a server can run on. */
  public enum Container {
    /** Jetty 12, ee10 (Servlet 6.0). */
    JETTY,
    /** Tomcat 11 (Servlet 6.1). */
    TOMCAT
  }

  /**
   * The largest request header block the server accepts: 64 KiB, above the containers' 8 KiB
   * default, so that very long cookie values reach the filter instead of being refused by them.
   */
  public static final int REQUEST_HEADER_SIZE = 64 * 1024;

  /** The path of the page that shows the session it sees; also the error page. */
  public static final String SESSION_PAGE = TestServlets.SESSION_PAGE;

  /**
   * The status whose error page is {@link #SESSION_PAGE}; other errors get the container's own
   * page.
   */
  public static final int ERROR_PAGE_STATUS = 404;

  private final Container container;
  private final AutoCloseable running;
  private final int port;

  private FilterServer(Container container, AutoCloseable running, int port) {
    this.container = container;
    this.running = running;
    this.port = port;
  }

  /**
   * Starts a Jetty server on {@code 127.0.0.1} and a port the system picks.
   *
   * @param filter the session filter
   * @param servlets servlets by path spec, such as {@code /session}
   * @return the running server
   * @throws IllegalStateException when Jetty does not start
   */
  public static FilterServer start(SessionManagerFilter filter, Map<String, HttpServlet> servlets) {
    return start(Container.JETTY, filter, servlets);
  }

  /**
   * Starts a server of a container on {@code 127.0.0.1} and a port the system picks.
   *
   * @param container the container
   * @param filter the session filter
   * @param servlets servlets by path spec, such as {@code /session}
   * @return the running server
   * @throws IllegalStateException when the container does not start
   */
  public static FilterServer start(
      Container container, SessionManagerFilter filter, Map<String, HttpServlet> servlets) {
    Objects.requireNonNull(filter, "filter");
    Map<String, HttpServlet> all = withSessionPage(servlets);
    return switch (container) {
      case JETTY -> startJetty(filter, all);
      case TOMCAT -> {
        TomcatServer tomcat = TomcatServer.start(filter, all, REQUEST_HEADER_SIZE);
        yield new FilterServer(container, tomcat, tomcat.port());
      }
    };
  }

  /**
   * Starts a Tomcat server where an initializer, rather than this class, installs the filter, as an
   * application's own start-up code does; the servlets and the error page are set up as {@link
   * #start(Container, SessionManagerFilter, Map)} does.
   *
   * @param initializer runs at start-up with the application's {@code ServletContext}
   * @param servlets servlets by path spec
   * @return the running server
   * @throws IllegalStateException when Tomcat does not start
   */
  public static FilterServer startTomcat(
      jakarta.servlet.ServletContainerInitializer initializer, Map<String, HttpServlet> servlets) {
    TomcatServer tomcat =
        TomcatServer.start(initializer, withSessionPage(servlets), REQUEST_HEADER_SIZE);
    return new FilterServer(Container.TOMCAT, tomcat, tomcat.port());
  }

  private static Map<String, HttpServlet> withSessionPage(Map<String, HttpServlet> servlets) {
    Map<String, HttpServlet> all = new LinkedHashMap<>(servlets);
    all.put(SESSION_PAGE, new TestServlets.SessionPageServlet());
    return all;
  }

  private static FilterServer startJetty(
      SessionManagerFilter filter, Map<String, HttpServlet> servlets) {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("filter-server");
    Server server = new Server(threads);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(REQUEST_HEADER_SIZE);
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    context.addFilter(
        new FilterHolder(filter), "/*", EnumSet.copyOf(SessionManagerFilter.DISPATCHER_TYPES));
    for (Map.Entry<String, HttpServlet> servlet : servlets.entrySet()) {
      context.addServlet(new ServletHolder(servlet.getValue()), servlet.getKey());
    }
    ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
    errorPages.addErrorPage(ERROR_PAGE_STATUS, SESSION_PAGE);
    context.setErrorHandler(errorPages);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw new IllegalStateException("Could not start the embedded Jetty server", e);
    }
    return new FilterServer(Container.JETTY, server::stop, connector.getLocalPort());
  }

  /**
   * Returns the container this server runs on.
   *
   * @return the container
   */
  public Container container() {
    return container;
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the bound port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the address of a path on this server.
   *
   * @param pathAndQuery such as {@code /session?do=peek}; already encoded
   * @return {@code http://127.0.0.1:PORT} followed by the path
   */
  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /** Stops the server. */
  @Override
  public void close() {
    try {
      running.close();
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop the embedded " + container + " server", e);
    }
  }

  @Override
  public String toString() {
    return "FilterServer[" + container + " on 127.0.0.1:" + port + "]";
  }
}

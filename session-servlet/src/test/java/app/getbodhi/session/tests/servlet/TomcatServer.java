package app.getbodhi.session.tests.servlet;

import app.getbodhi.session.servlet.SessionManagerFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The Tomcat 11 side of {@link FilterServer}: an embedded Tomcat with its default settings (in
 * particular {@code suspendWrappedResponseAfterForward}, by which Tomcat finishes a forwarded
 * response itself), the filter mapped as {@link FilterServer} says, and a base directory of its own
 * that is removed when it stops.
 */
record TomcatServer(Tomcat tomcat, Path baseDir, int port) implements AutoCloseable {

  /** Starts a server whose filter is mapped as {@link FilterServer} says. */
  static TomcatServer start(
      SessionManagerFilter filter, Map<String, HttpServlet> servlets, int requestHeaderSize) {
    return start(servlets, requestHeaderSize, context -> mapFilter(context, filter));
  }

  /** Starts a server where an initializer installs what it wants, as an application does. */
  static TomcatServer start(
      ServletContainerInitializer initializer,
      Map<String, HttpServlet> servlets,
      int requestHeaderSize) {
    return start(
        servlets,
        requestHeaderSize,
        context -> context.addServletContainerInitializer(initializer, null));
  }

  private static void mapFilter(Context context, SessionManagerFilter filter) {
    FilterDef sessions = new FilterDef();
    sessions.setFilterName("sessions");
    sessions.setFilter(filter);
    context.addFilterDef(sessions);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("sessions");
    mapping.addURLPattern("/*");
    for (DispatcherType type : SessionManagerFilter.DISPATCHER_TYPES) {
      mapping.setDispatcher(type.name());
    }
    context.addFilterMap(mapping);
  }

  private static TomcatServer start(
      Map<String, HttpServlet> servlets, int requestHeaderSize, Consumer<Context> install) {
    Path baseDir;
    try {
      baseDir = Files.createTempDirectory("filter-server-tomcat");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not make the embedded Tomcat's base directory", e);
    }
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxHttpHeaderSize", Integer.toString(requestHeaderSize));
    tomcat.setConnector(connector);

    Context context = tomcat.addContext("", baseDir.toString());
    install.accept(context);
    int n = 0;
    for (Map.Entry<String, HttpServlet> servlet : servlets.entrySet()) {
      String name = "servlet-" + n++;
      Tomcat.addServlet(context, name, servlet.getValue());
      context.addServletMappingDecoded(servlet.getKey(), name);
    }
    ErrorPage errorPage = new ErrorPage();
    errorPage.setErrorCode(FilterServer.ERROR_PAGE_STATUS);
    errorPage.setLocation(FilterServer.SESSION_PAGE);
    context.addErrorPage(errorPage);

    TomcatServer server = new TomcatServer(tomcat, baseDir, 0);
    try {
      tomcat.start();
    } catch (LifecycleException | RuntimeException e) {
      try {
        server.close();
      } catch (RuntimeException stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw new IllegalStateException("Could not start the embedded Tomcat server", e);
    }
    return new TomcatServer(tomcat, baseDir, connector.getLocalPort());
  }

  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException("Could not stop the embedded Tomcat server", e);
    } finally {
      deleteRecursively(baseDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not remove the embedded Tomcat's base directory", e);
    }
  }
}

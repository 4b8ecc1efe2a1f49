package app.getbodhi.session.cli;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per request, through SLF4J's logger {@value #LOGGER} at INFO, once the response is
 * done: {@code POST /login 303 4 ms}.
 *
 * <p>Only the method, the path, the status and the time taken: never the query string (where tokens
 * and ids end up), cookies, other headers or the client's address. Method and path are the client's
 * to choose, so control characters in them become {@code ?} and long ones are cut, and a line
 * cannot be forged or split.
 */
final class AccessLog extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /** The logger's name, to route or silence the access log apart from the rest. */
  static final String LOGGER = "app.getbodhi.session.cli.access";

  /** The longest path logged, in characters; longer ones end with {@code …}. */
  static final int MAX_PATH_LENGTH = 200;

  /** The longest method logged: longer than any real one. */
  static final int MAX_METHOD_LENGTH = 16;

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    long start = System.nanoTime();
    Throwable failure = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      // ErrorPages turns failures into pages with their status; what still gets here becomes,
      // further out, the status Jetty gives it, unless the response was on its way already
      int status =
          failure == null || response.isCommitted()
              ? response.getStatus()
              : ErrorPages.clientStatus(failure);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      LOG.info(
          "{} {} {} {} ms",
          clean(request.getMethod(), MAX_METHOD_LENGTH),
          clean(request.getRequestURI(), MAX_PATH_LENGTH),
          status,
          millis);
    }
  }

  /** Keeps a client-chosen value to one printable line of bounded length. */
  static String clean(String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      return "-";
    }
    StringBuilder cleaned = new StringBuilder(Math.min(value.length(), maxLength + 1));
    value
        .codePoints()
        .limit(maxLength)
        .forEach(c -> cleaned.appendCodePoint(DemoServlet.isHiddenOrControl(c) ? '?' : c));
    if (value.codePointCount(0, value.length()) > maxLength) {
      cleaned.append('…');
    }
    return cleaned.toString();
  }
}

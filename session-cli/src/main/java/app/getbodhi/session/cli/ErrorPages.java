package app.getbodhi.session.cli;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception that leaves the application into a page that tells the visitor nothing about
 * the server: a generic message and, for a server error, an opaque reference. The reference is
 * logged with the exception, so whoever runs the server can find what happened; the page never
 * shows an exception class, a message, a pool name or an SQLState, all of which help an attacker
 * more than a visitor.
 *
 * <p>A request Jetty refuses while the application reads it (a form body over Jetty's limit, say)
 * keeps Jetty's status, such as 400, and the access log, which runs outside this filter, records
 * the status the client got.
 */
final class ErrorPages extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /** Random bytes in a reference: 12 hex digits, enough to find one line in a day's log. */
  static final int REFERENCE_BYTES = 6;

  private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);

  private final transient SecureRandom random = new SecureRandom();

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } catch (Exception | StackOverflowError e) {
      // any other Error (out of memory and the like) propagates: nothing here could help
      fail(request, response, e);
    }
  }

  private void fail(HttpServletRequest request, HttpServletResponse response, Throwable failure)
      throws IOException {
    String reference = HexFormat.of().formatHex(nextBytes());
    int status = clientStatus(failure);
    String where =
        AccessLog.clean(request.getMethod(), AccessLog.MAX_METHOD_LENGTH)
            + " "
            + AccessLog.clean(request.getRequestURI(), AccessLog.MAX_PATH_LENGTH);
    if (status >= HttpServletResponse.SC_INTERNAL_SERVER_ERROR) {
      LOG.error("{} failed; reference {}", where, reference, failure);
    } else {
      // the client's mistake, as Jetty judged it: worth a line, not a stack trace
      LOG.info(
          "{} refused with {}; reference {}: {}", where, status, reference, failure.toString());
    }
    if (response.isCommitted()) {
      // the status and part of the body are on their way: nothing more can be said
      return;
    }
    response.reset();
    if (status >= HttpServletResponse.SC_INTERNAL_SERVER_ERROR) {
      DemoServlet.page(
          response,
          status,
          "Something went wrong",
          "<p>Something went wrong on our side, and your request was not completed. Try again"
              + " in a moment.</p><p>If it keeps happening, quote this reference: <code"
              + " id=\"reference\">"
              + reference
              + "</code></p>");
    } else {
      DemoServlet.page(
          response,
          status,
          "Request refused",
          "<p>The request could not be handled ("
              + status
              + " "
              + Html.text(HttpStatus.getMessage(status))
              + ").</p>");
    }
  }

  private byte[] nextBytes() {
    byte[] bytes = new byte[REFERENCE_BYTES];
    random.nextBytes(bytes);
    return bytes;
  }

  /**
   * The status a failure gets: Jetty's own for a request it refused (a 4xx), else 500.
   *
   * @param failure what left the application
   * @return the status
   */
  static int clientStatus(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpException http && HttpStatus.isClientError(http.getCode())) {
        return http.getCode();
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
  }
}

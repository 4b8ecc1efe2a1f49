package app.getbodhi.session.servlet;

import app.getbodhi.session.web.CrossOriginProtection;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Gives a Jakarta Servlet 6 application sessions kept in a {@link
 * app.getbodhi.session.SessionStore}: {@code request.getSession()}, {@code setAttribute}, {@code
 * invalidate} and {@code changeSessionId} work as usual, backed by the layer's store.
 *
 * <p>This module is only the servlet binding: the layer, the cookie and the per-request logic
 * ({@link SessionManagerLayer}, {@link SessionHandle}) are framework-neutral and live in
 * session-service, package {@code app.getbodhi.session.web}.
 *
 * <pre>{@code
 * SessionManagerLayer layer = sessionService.sessionLayer();
 * EnumSet<DispatcherType> dispatches = EnumSet.copyOf(SessionManagerFilter.DISPATCHER_TYPES);
 * servletContext.addFilter("sessions", new SessionManagerFilter(layer))
 *     .addMappingForUrlPatterns(dispatches, false, "/*");
 * }</pre>
 *
 * <p>Map it for {@link #DISPATCHER_TYPES}: besides the request itself, an error page ({@code
 * ERROR}), a forward or an include then sees the session the request used, including one the
 * request created, through the same per-request handle, and the session is still written once. When
 * a forward or an include returns, the filter writes what it changed and sets the cookie then: a
 * container may finish a forwarded response as soon as the forward returns (Tomcat does, by
 * default), and an included servlet cannot set headers, so a session created, changed or
 * invalidated there reaches the browser on any container.
 *
 * <p>What a request costs: nothing, when it never touches the session; one {@code SELECT} when it
 * only reads (and one update more once the last write is older than the session's access
 * granularity, so that it lives its whole idle timeout after this request: see {@link
 * SessionManagerLayer}); one update more when it changes the session, written just before the
 * response is committed (so the cookie can still be set). A response with a 5xx status, or a
 * request that throws, writes nothing. The client's cookie only selects a session that exists: a
 * malformed, unknown or expired id is treated as no session, and a new session always gets a fresh
 * id.
 *
 * <p>When the layer has a {@link CrossOriginProtection}, a request it refuses gets 403 Forbidden
 * before anything else happens: no session is loaded and the application never sees it.
 *
 * <p>Attributes must be JSON values (String, Number, Boolean, List, Map with String keys); anything
 * else gets an {@link IllegalArgumentException} from {@code setAttribute}, naming the key. Session
 * listeners and binding events are not supported.
 *
 * <p>Concurrency: two requests on the same session each work on their own copy and merge on write:
 * changes to different attributes all survive, of two changes to one attribute the last to finish
 * wins, and a session deleted meanwhile is never brought back (see {@link SessionHandle}). If the
 * store fails, the request fails (a 500) and no session is created in its place. Thread-safe: one
 * instance serves every request.
 */
public final class SessionManagerFilter implements Filter {

  /**
   * The dispatches to map this filter for: {@code REQUEST}, {@code ERROR}, {@code FORWARD} and
   * {@code INCLUDE}.
   */
  public static final Set<DispatcherType> DISPATCHER_TYPES =
      Collections.unmodifiableSet(
          EnumSet.of(
              DispatcherType.REQUEST,
              DispatcherType.ERROR,
              DispatcherType.FORWARD,
              DispatcherType.INCLUDE));

  /**
   * The request attribute under which the filter keeps a request's {@link SessionHandle}, so that a
   * later dispatch of the same request (an error page after {@code sendError}) uses it too.
   */
  static final String HANDLE_ATTRIBUTE = SessionManagerFilter.class.getName() + ".handle";

  /**
   * The request attribute under which the filter keeps the response it wrapped while the request's
   * own dispatch runs, so that a forward or include inside it writes the session through it.
   */
  static final String RESPONSE_ATTRIBUTE = SessionManagerFilter.class.getName() + ".response";

  private final SessionManagerLayer layer;

  /**
   * Creates the filter.
   *
   * @param layer the store and cookie settings, such as {@code SessionService.sessionLayer()}
   */
  public SessionManagerFilter(SessionManagerLayer layer) {
    this.layer = Objects.requireNonNull(layer, "layer");
  }

  /**
   * Returns the layer this filter applies.
   *
   * @return the layer
   */
  public SessionManagerLayer layer() {
    return layer;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest httpRequest)
        || !(response instanceof HttpServletResponse httpResponse)) {
      chain.doFilter(request, response);
      return;
    }
    if (refusedAsCrossOrigin(httpRequest, httpResponse)) {
      return;
    }
    if (httpRequest.getAttribute(RESPONSE_ATTRIBUTE) instanceof SessionResponse outer
        && wraps(httpRequest)) {
      dispatchWithin(httpRequest, response, chain, outer);
      return;
    }
    // A container runs an error page as a new dispatch of the same request, outside the dispatch
    // that failed, so that one's wrapper is gone; the handle kept on the request carries the
    // session (loaded, or created by the failing dispatch and not known to any cookie) across.
    SessionHandle handle;
    if (httpRequest.getAttribute(HANDLE_ATTRIBUTE) instanceof SessionHandle earlier) {
      handle = earlier;
    } else {
      handle = new SessionHandle(layer, cookieValues(httpRequest));
      httpRequest.setAttribute(HANDLE_ATTRIBUTE, handle);
    }
    SessionResponse wrappedResponse = new SessionResponse(httpResponse, handle);
    SessionRequest wrappedRequest = new SessionRequest(httpRequest, handle);
    // set by the outermost dispatch only: a nested one that gets here, because its request does
    // not wrap this filter's, leaves the outer response in place
    boolean outermost = httpRequest.getAttribute(RESPONSE_ATTRIBUTE) == null;
    if (outermost) {
      httpRequest.setAttribute(RESPONSE_ATTRIBUTE, wrappedResponse);
    }
    try {
      chain.doFilter(wrappedRequest, wrappedResponse);
    } finally {
      if (outermost) {
        httpRequest.removeAttribute(RESPONSE_ATTRIBUTE);
      }
    }
    // reached only when the application did not throw: a failed request saves nothing
    wrappedResponse.commitSession();
  }

  /** Whether the request is, or wraps, this filter's request: the dispatch is inside it. */
  private static boolean wraps(ServletRequest request) {
    return request instanceof SessionRequest
        || (request instanceof ServletRequestWrapper wrapper
            && wrapper.isWrapperFor(SessionRequest.class));
  }

  /**
   * Runs a forward or an include inside a request this filter already wrapped: the request reaches
   * the same session through the wrapper it carries. When the dispatch returns, the session is
   * written and its cookie set through the request's own response, before the container can finish
   * the response (Tomcat finishes a forwarded one) and outside the include, whose headers the
   * container drops.
   */
  private static void dispatchWithin(
      HttpServletRequest request,
      ServletResponse response,
      FilterChain chain,
      SessionResponse outer)
      throws IOException, ServletException {
    boolean include = request.getDispatcherType() == DispatcherType.INCLUDE;
    if (include) {
      outer.enterInclude();
    }
    try {
      chain.doFilter(request, response);
      // reached only when the dispatch did not throw, as for the request itself; still inside an
      // include, whose cookie then waits for the request's own response
      outer.commitSession();
    } finally {
      if (include) {
        outer.leaveInclude();
      }
    }
  }

  private List<String> cookieValues(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>(1);
    for (Cookie cookie : cookies) {
      if (layer.cookieName().equals(cookie.getName())) {
        values.add(cookie.getValue());
      }
    }
    return values;
  }

  /** What a refused cross-origin request gets as its body, with status 403. */
  static final String REFUSED_BODY =
      "Forbidden: this request came from another site (cross-origin), and this server only accepts"
          + " it from its own pages.\n";

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SessionManagerFilter.class);

  /**
   * Applies the layer's {@link CrossOriginProtection}, if any, before the session or the
   * application sees the request: a refused request gets a 403 and never reaches the store.
   */
  private boolean refusedAsCrossOrigin(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    CrossOriginProtection protection = layer.crossOriginProtection().orElse(null);
    if (protection == null) {
      return false;
    }
    String host = request.getHeader("Host");
    if (host == null) {
      // HTTP/2 carries the host as :authority, which containers expose as the server name and port
      host = request.getServerName() + ":" + request.getServerPort();
    }
    CrossOriginProtection.Decision decision =
        protection.check(
            request.getMethod(),
            request.getHeader(CrossOriginProtection.SEC_FETCH_SITE),
            request.getHeader(CrossOriginProtection.ORIGIN),
            host);
    if (decision.allowed()) {
      return false;
    }
    // the method only: the path and the Origin are the client's to choose, and may carry anything
    LOG.debug("Refused a cross-origin {} request ({})", safeMethod(request), decision);
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("text/plain;charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(REFUSED_BODY);
    return true;
  }

  private static String safeMethod(HttpServletRequest request) {
    String method = request.getMethod();
    return method.length() <= 16 && method.chars().allMatch(c -> c > ' ' && c < 0x7f)
        ? method
        : "(unusual method)";
  }

  @Override
  public String toString() {
    return "SessionManagerFilter[" + layer + "]";
  }
}

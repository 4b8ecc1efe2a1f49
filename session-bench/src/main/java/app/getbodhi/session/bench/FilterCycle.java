package app.getbodhi.session.bench;

import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.BodhiSessionRequestScope;
import app.getbodhi.session.spring.JsonOnlyAttributeCodec;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * One request through Spring Session's own {@link SessionRepositoryFilter}, over one repository,
 * with in-memory servlet requests and responses: what a Spring application runs per request, less
 * the HTTP server. The request carries Spring's default session cookie ({@value #COOKIE}, the id in
 * base64, as {@code DefaultCookieSerializer} writes it) and the filter reads it with its default
 * resolver, the same for every repository.
 *
 * <p>Ours runs as the auto-configuration registers it: {@link BodhiSessionRequestScope} just in
 * front of Spring's filter, so the filter's second lookup of the session after committing it is
 * answered without a statement. Spring Session JDBC runs behind the filter alone, as Boot registers
 * it.
 *
 * <p>The application behind the filter is one of two: a read-only request reads the {@code visits}
 * attribute; a changing request increments it. Both write the count as the response body and flush
 * it, as a Spring MVC controller's answer does. Either fails when the request finds no session, so
 * that a benchmark never times misses. Thread-safe.
 */
final class FilterCycle {

  /** Spring Session's default cookie name. */
  static final String COOKIE = "SESSION";

  /** The attribute both applications read, and the changing one increments. */
  static final String VISITS = "visits";

  /** Where the application leaves what it read or wrote, for the caller to return. */
  private static final String RESULT = FilterCycle.class.getName() + ".result";

  private static final Base64.Encoder COOKIE_BASE64 = Base64.getEncoder();

  /** The read-only application: {@code getSession(false).getAttribute("visits")}, answered. */
  private static final FilterChain READ =
      (request, response) -> respond(request, response, session(request).getAttribute(VISITS));

  /** The changing application: {@code visits} read and incremented, answered. */
  private static final FilterChain CHANGE =
      (request, response) -> {
        HttpSession session = session(request);
        Object visits = session.getAttribute(VISITS);
        long next = visits == null ? 1 : ((Number) visits).longValue() + 1;
        session.setAttribute(VISITS, next);
        respond(request, response, next);
      };

  private final MockServletContext servletContext = new MockServletContext();
  private final FilterChain readEntry;
  private final FilterChain changeEntry;

  /**
   * @param sessionFilter Spring Session's filter over the repository under test
   * @param before a filter in front of it, or null
   */
  private FilterCycle(SessionRepositoryFilter<?> sessionFilter, Filter before) {
    FilterChain read = (request, response) -> sessionFilter.doFilter(request, response, READ);
    FilterChain change = (request, response) -> sessionFilter.doFilter(request, response, CHANGE);
    this.readEntry =
        before == null ? read : (request, response) -> before.doFilter(request, response, read);
    this.changeEntry =
        before == null ? change : (request, response) -> before.doFilter(request, response, change);
  }

  /**
   * Ours, as the auto-configuration wires it: the repository over the store and its layer, the
   * request scope in front of Spring's filter. Attributes here are JSON values, which the store
   * keeps as they are: the codec, asked only for other values, is never used.
   */
  static FilterCycle ours(Impl.Ours ours) {
    return ours(new BodhiSessionRepository(ours.store, ours.layer, new JsonOnlyAttributeCodec()));
  }

  /** Ours over a given repository (the statement-count test builds one over a counted pool). */
  static FilterCycle ours(BodhiSessionRepository repository) {
    return new FilterCycle(
        new SessionRepositoryFilter<>(repository), new BodhiSessionRequestScope(repository));
  }

  /** Spring Session JDBC: its {@code JdbcIndexedSessionRepository} behind the filter alone. */
  static FilterCycle spring(SessionRepository<Session> repository) {
    return new FilterCycle(new SessionRepositoryFilter<>(repository), null);
  }

  /** The cycle over an implementation of the point benchmarks: ours or Spring's. */
  static FilterCycle over(Impl impl) {
    if (impl instanceof Impl.Ours ours) {
      return ours(ours);
    }
    if (impl instanceof Impl.Spring spring) {
      return spring(spring.repository);
    }
    throw new IllegalArgumentException(
        "the filter runs over ours or Spring's repository, not " + impl.getClass().getSimpleName());
  }

  /**
   * A read-only request for a session.
   *
   * @return the session's visit count
   */
  Object readOnly(String id) {
    return run(id, readEntry);
  }

  /**
   * A request that increments a session's visit count.
   *
   * @return the count written
   */
  Object changing(String id) {
    return run(id, changeEntry);
  }

  private Object run(String id, FilterChain entry) {
    MockHttpServletRequest request = new MockHttpServletRequest(servletContext, "GET", "/visits");
    request.setCookies(new Cookie(COOKIE, cookieValue(id)));
    MockHttpServletResponse response = new MockHttpServletResponse();
    try {
      entry.doFilter(request, response);
    } catch (IOException | ServletException e) {
      throw new IllegalStateException(e);
    }
    return request.getAttribute(RESULT);
  }

  /** The cookie's value as Spring's {@code DefaultCookieSerializer} writes it: the id in base64. */
  static String cookieValue(String id) {
    return COOKIE_BASE64.encodeToString(id.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes the count as the response body and flushes it, as Spring MVC's message converters do for
   * a {@code @ResponseBody}. The flush commits the response, on which Spring's filter commits the
   * session; it commits it again when the chain returns, and that second commit looks the requested
   * id up again: the lookup {@link BodhiSessionRequestScope} answers for ours. An application that
   * never flushed would spare both repositories that lookup.
   */
  private static void respond(ServletRequest request, ServletResponse response, Object visits)
      throws IOException {
    request.setAttribute(RESULT, visits);
    response.getWriter().print(visits);
    response.getWriter().flush();
  }

  private static HttpSession session(ServletRequest request) {
    HttpSession session = ((HttpServletRequest) request).getSession(false);
    if (session == null) {
      // a benchmark of misses would look fast and mean nothing
      throw new IllegalStateException("the request's session cookie found no session");
    }
    return session;
  }
}

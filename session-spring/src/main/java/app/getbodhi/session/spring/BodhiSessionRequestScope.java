package app.getbodhi.session.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A servlet filter that marks one request on its thread, so that {@link
 * BodhiSessionRepository#findById} answers a repeated lookup of the same id from the session the
 * request already holds. Spring's {@code SessionRepositoryFilter} looks the requested id up again
 * after committing the session; without this filter in front of it, that costs every request a
 * second {@code SELECT}. The auto-configuration registers it just before Spring's filter; register
 * it there yourself when configuring Spring Session by hand.
 *
 * <p>Only what {@code findById} returned during the request is remembered, and only until the
 * request leaves the filter. A forward or include on the same thread joins the request's scope; a
 * request continued on another thread (async) reads the store as usual. Thread-safe: each thread
 * has its own scope.
 */
public final class BodhiSessionRequestScope implements Filter {

  /** Per repository, what {@code findById} returned for each id; {@code null} for a miss. */
  private static final ThreadLocal<Map<BodhiSessionRepository, Map<String, BodhiSession>>> SCOPE =
      new ThreadLocal<>();

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (SCOPE.get() != null) {
      chain.doFilter(request, response);
      return;
    }
    SCOPE.set(new IdentityHashMap<>());
    try {
      chain.doFilter(request, response);
    } finally {
      SCOPE.remove();
    }
  }

  /**
   * Runs code as one request: what a test, or a non-servlet caller, uses to get the same lookups.
   *
   * @param work the request's work
   */
  public static void run(Runnable work) {
    if (SCOPE.get() != null) {
      work.run();
      return;
    }
    SCOPE.set(new IdentityHashMap<>());
    try {
      work.run();
    } finally {
      SCOPE.remove();
    }
  }

  /** The sessions a repository returned in this thread's request, or null outside a request. */
  static Map<String, BodhiSession> sessionsOf(BodhiSessionRepository repository) {
    Map<BodhiSessionRepository, Map<String, BodhiSession>> scope = SCOPE.get();
    return scope == null ? null : scope.computeIfAbsent(repository, r -> new HashMap<>());
  }
}

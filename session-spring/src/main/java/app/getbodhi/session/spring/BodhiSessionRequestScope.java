package app.getbodhi.session.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Objects;

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

  private final BodhiSessionRepository repository;

  /**
   * A filter for one repository.
   *
   * @param repository the repository Spring Session's filter uses
   */
  public BodhiSessionRequestScope(BodhiSessionRepository repository) {
    this.repository = Objects.requireNonNull(repository, "repository");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    boolean started = repository.enterRequest();
    try {
      chain.doFilter(request, response);
    } finally {
      if (started) {
        repository.leaveRequest();
      }
    }
  }
}

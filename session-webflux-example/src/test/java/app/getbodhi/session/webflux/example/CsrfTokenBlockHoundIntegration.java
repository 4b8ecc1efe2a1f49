package app.getbodhi.session.webflux.example;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound that Spring Security's masking of the CSRF token is not a blocking call. For
 * every page that renders a form, {@code XorServerCsrfTokenRequestAttributeHandler} masks the token
 * with fresh bytes from the JDK's {@code SecureRandom}, on the event loop. On Linux that reads a
 * few bytes from {@code /dev/urandom}: a file read to BlockHound, but one that never waits once the
 * kernel's random pool is initialised at boot, and costs microseconds; moving it off the event loop
 * would cost every page a thread hop for nothing. Only that one frame of the framework is exempted;
 * a blocking call anywhere else, including the example's own code, still fails the request. Found
 * by BlockHound's {@code ServiceLoader}, so it applies whichever test installs BlockHound first in
 * the JVM.
 */
public final class CsrfTokenBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside(
        "org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler",
        "createXoredCsrfToken");
  }
}

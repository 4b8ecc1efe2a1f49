package app.getbodhi.session.spring.reactive;

import app.getbodhi.session.SessionId;
import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound, when an application installs it, that drawing a session id is not a blocking
 * call. {@link SessionId#generate()} asks the JDK's {@code SecureRandom}, which on Linux reads a
 * few bytes from {@code /dev/urandom}: a file read to BlockHound, but one that never waits once the
 * kernel's random pool is initialised at boot, and costs microseconds. Every request without a
 * session cookie draws one (WebFlux creates its session object up front), so moving the draw off
 * the event loop would cost every such request a thread hop for nothing. Found by BlockHound's
 * {@code ServiceLoader}; nothing else of this library is exempted.
 */
public final class SessionIdBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside(SessionId.class.getName(), "generate");
  }
}

package app.getbodhi.session.spring.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound before a reactive test class runs: from then on, a blocking call (JDBC, a
 * lock, a sleep, file or socket I/O) on a non-blocking thread (Reactor's parallel scheduler,
 * Netty's event loops) throws {@code BlockingOperationError}, which fails the request, and with it
 * the test. Installing twice is harmless. Needs {@code -XX:+AllowRedefinitionToAddDeleteMethods} on
 * JDK 13 and later (the module's surefire argLine).
 */
public final class BlockHoundInstalled implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    BlockHound.install(
        // Netty's own integration misses a lock its buffer allocator takes briefly when it grows
        // under contention; it is Netty's, not a call of this library or the application
        builder ->
            builder
                .allowBlockingCallsInside(
                    "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                .allowBlockingCallsInside(
                    "io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free"));
  }
}

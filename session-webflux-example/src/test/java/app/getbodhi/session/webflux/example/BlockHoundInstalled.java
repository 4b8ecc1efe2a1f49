package app.getbodhi.session.webflux.example;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound before a test class: a blocking call on an event loop or a parallel thread
 * then fails the request it is made in. Installing twice is harmless.
 */
final class BlockHoundInstalled implements BeforeAllCallback {

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

package app.getbodhi.session.spring.autoconfigure;

import app.getbodhi.session.spring.reactive.StoreScheduler;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code bodhi.session.reactive.*} properties of a WebFlux application. Cookie settings come
 * from Boot's {@code server.reactive.session.cookie.*}, the timeout from {@code
 * spring.session.timeout} or {@code server.reactive.session.timeout}; the store from {@code
 * bodhi.session.*} as for a servlet application.
 */
@ConfigurationProperties("bodhi.session.reactive")
public class BodhiReactiveSessionProperties {

  // Field comments become the IDE's help text: plain text only.

  /**
   * How many session-store calls may wait per store thread when every thread is busy (there is one
   * thread per pooled connection). A call beyond that fails at once with a "session store is
   * saturated" error instead of queueing without bound.
   */
  private int queuePerThread = StoreScheduler.DEFAULT_QUEUE_PER_THREAD;

  /**
   * Returns how many calls may wait per store thread.
   *
   * @return the queue cap per thread
   */
  public int getQueuePerThread() {
    return queuePerThread;
  }

  /**
   * Sets how many calls may wait per store thread.
   *
   * @param queuePerThread 1 to {@link StoreScheduler#MAX_QUEUE_PER_THREAD}
   */
  public void setQueuePerThread(int queuePerThread) {
    this.queuePerThread = queuePerThread;
  }
}

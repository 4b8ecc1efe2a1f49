package app.getbodhi.session.reliability;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.service.ForwardingSessionStore;
import java.util.concurrent.CountDownLatch;

/**
 * A store that passes every call through and counts down a latch as each cleanup round begins. A
 * cleaner runs its rounds one after the other on one thread, so once round two has begun, round one
 * has finished, logging included: a way to wait for a logged failure without sleeping.
 */
final class RoundCountingStore extends ForwardingSessionStore {

  private final CountDownLatch rounds;

  RoundCountingStore(ManagedSessionStore delegate, CountDownLatch rounds) {
    super(delegate);
    this.rounds = rounds;
  }

  @Override
  public int deleteExpired() {
    rounds.countDown();
    return super.deleteExpired();
  }
}

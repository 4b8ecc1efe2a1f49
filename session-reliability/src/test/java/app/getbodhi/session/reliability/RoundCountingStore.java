package app.getbodhi.session.reliability;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSummary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A store that passes every call through and counts down a latch as each cleanup round begins. A
 * cleaner runs its rounds one after the other on one thread, so once round two has begun, round one
 * has finished, logging included: a way to wait for a logged failure without sleeping.
 */
final class RoundCountingStore implements ManagedSessionStore {

  private final ManagedSessionStore delegate;
  private final CountDownLatch rounds;

  RoundCountingStore(ManagedSessionStore delegate, CountDownLatch rounds) {
    this.delegate = delegate;
    this.rounds = rounds;
  }

  @Override
  public int deleteExpired() {
    rounds.countDown();
    return delegate.deleteExpired();
  }

  @Override
  public SessionRecord create(SessionRecord record) {
    return delegate.create(record);
  }

  @Override
  public void save(SessionRecord record) {
    delegate.save(record);
  }

  @Override
  public boolean update(SessionRecord record) {
    return delegate.update(record);
  }

  @Override
  public boolean updateIfUnchanged(SessionRecord record) {
    return delegate.updateIfUnchanged(record);
  }

  @Override
  public Optional<SessionRecord> modify(
      SessionId id, Function<SessionRecord, Optional<SessionRecord>> change) {
    return delegate.modify(id, change);
  }

  @Override
  public Optional<SessionRecord> rotate(SessionId from, SessionRecord to) {
    return delegate.rotate(from, to);
  }

  @Override
  public Optional<SessionRecord> load(SessionId id) {
    return delegate.load(id);
  }

  @Override
  public void delete(SessionId id) {
    delegate.delete(id);
  }

  @Override
  public void migrate() {
    delegate.migrate();
  }

  @Override
  public int clearSessionsForUser(String userId) {
    return delegate.clearSessionsForUser(userId);
  }

  @Override
  public int clearAllSessions() {
    return delegate.clearAllSessions();
  }

  @Override
  public int countSessionsForUser(String userId) {
    return delegate.countSessionsForUser(userId);
  }

  @Override
  public List<SessionId> getSessionIdsForUser(String userId) {
    return delegate.getSessionIdsForUser(userId);
  }

  @Override
  public List<SessionSummary> dumpAllSessions() {
    return delegate.dumpAllSessions();
  }

  @Override
  public List<SessionSummary> dumpPage(Optional<SessionId> after, int limit) {
    return delegate.dumpPage(after, limit);
  }

  @Override
  public List<SessionRecord> loadPage(Optional<SessionId> after, int limit) {
    return delegate.loadPage(after, limit);
  }

  @Override
  public String backendName() {
    return delegate.backendName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}

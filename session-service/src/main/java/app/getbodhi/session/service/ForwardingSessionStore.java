package app.getbodhi.session.service;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.StoreHealth;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link ManagedSessionStore} that passes every call to the store it wraps: the base of a
 * decorator, which overrides only what it adds. {@link SessionStoreBackend} and {@code
 * MeteredSessionStore} extend it.
 *
 * <p>Every store operation (the reads, writes and clean-ups of {@link
 * app.getbodhi.session.SessionStore} and {@link ManagedSessionStore}) passes through {@link
 * #forward(String, Supplier)} under its method's name, so a decorator that treats every operation
 * alike (times it, counts it, records it) overrides that one method, and an operation added to the
 * interface later is covered by adding it here once. {@link #health()}, {@link #backendName()} and
 * {@link #close()} are not operations on sessions and go straight to the wrapped store.
 *
 * <p>The default methods that are built on other operations ({@code streamAllSessions}, {@code
 * streamSealedSessions}) are inherited, not forwarded: they page through {@link #dumpPage} and
 * {@link #loadSealedPage} of this store, so a decorator sees each page.
 *
 * <p>Thread-safe when the wrapped store is and a subclass adds no unguarded state.
 */
public abstract class ForwardingSessionStore implements ManagedSessionStore {

  private final ManagedSessionStore store;

  /**
   * Wraps a store.
   *
   * @param store the store every call goes to; {@link #close()} closes it
   */
  protected ForwardingSessionStore(ManagedSessionStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Returns the wrapped store.
   *
   * @return the store every call goes to
   */
  public final ManagedSessionStore store() {
    return store;
  }

  /**
   * Runs one store operation on the wrapped store. This class just runs it; a subclass overrides
   * this to do the same around every operation, and must call {@code call.get()} exactly once and
   * let its exception pass.
   *
   * @param operation the store method's name, such as {@code load} or {@code deleteExpired}
   * @param call the call on the wrapped store
   * @param <T> what the operation returns ({@code null} for a {@code void} one)
   * @return what the call returned
   */
  protected <T> T forward(String operation, Supplier<T> call) {
    return call.get();
  }

  private void forward(String operation, Runnable call) {
    forward(
        operation,
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public SessionRecord create(SessionRecord record) {
    return forward("create", () -> store.create(record));
  }

  @Override
  public void save(SessionRecord record) {
    forward("save", () -> store.save(record));
  }

  @Override
  public void saveAll(List<SessionRecord> records) {
    forward("saveAll", () -> store.saveAll(records));
  }

  @Override
  public boolean updateIfUnchanged(SessionRecord record) {
    return forward("updateIfUnchanged", () -> store.updateIfUnchanged(record));
  }

  @Override
  public Optional<SessionRecord> modify(
      SessionId id, Function<SessionRecord, Optional<SessionRecord>> change) {
    return forward("modify", () -> store.modify(id, change));
  }

  @Override
  public Optional<SessionRecord> rotate(SessionId from, SessionRecord to) {
    return forward("rotate", () -> store.rotate(from, to));
  }

  @Override
  public Optional<SessionRecord> load(SessionId id) {
    return forward("load", () -> store.load(id));
  }

  @Override
  public void delete(SessionId id) {
    forward("delete", () -> store.delete(id));
  }

  @Override
  public MigrationReport migrate() {
    return forward("migrate", store::migrate);
  }

  @Override
  public int clearSessionsForUser(String userId) {
    return forward("clearSessionsForUser", () -> store.clearSessionsForUser(userId));
  }

  @Override
  public int clearAllSessions() {
    return forward("clearAllSessions", store::clearAllSessions);
  }

  @Override
  public int countSessionsForUser(String userId) {
    return forward("countSessionsForUser", () -> store.countSessionsForUser(userId));
  }

  @Override
  public List<SessionSummary> getSessionsForUser(String userId) {
    return forward("getSessionsForUser", () -> store.getSessionsForUser(userId));
  }

  /** Computed from the id, not an operation on the database: not forwarded as one. */
  @Override
  public SessionRef refOf(SessionId id) {
    return store.refOf(id);
  }

  @Override
  public boolean delete(SessionRef ref) {
    return forward("deleteRef", () -> store.delete(ref));
  }

  @Override
  public List<SessionRef> findRefsByPrefix(String prefix, int limit) {
    return forward("findRefsByPrefix", () -> store.findRefsByPrefix(prefix, limit));
  }

  @Override
  public List<SessionSummary> dumpPage(Optional<SessionRef> after, int limit) {
    return forward("dumpPage", () -> store.dumpPage(after, limit));
  }

  @Override
  public List<SealedSession> loadSealedPage(Optional<SessionRef> after, int limit) {
    return forward("loadSealedPage", () -> store.loadSealedPage(after, limit));
  }

  @Override
  public void saveAllSealed(List<SealedSession> sessions) {
    forward("saveAllSealed", () -> store.saveAllSealed(sessions));
  }

  @Override
  public int deleteExpired() {
    return forward("deleteExpired", store::deleteExpired);
  }

  /** The wrapped store's own check: a probe is not a session operation. */
  @Override
  public StoreHealth health() {
    return store.health();
  }

  @Override
  public String backendName() {
    return store.backendName();
  }

  /** Closes the wrapped store, and with it the pool it owns. */
  @Override
  public void close() {
    store.close();
  }
}

package app.getbodhi.session.web;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A real store that records which operations a handle sent to it, in order. */
final class CountingStore implements SessionStore {

  private final SessionStore delegate;
  private final List<String> calls = new ArrayList<>();

  CountingStore(SessionStore delegate) {
    this.delegate = delegate;
  }

  List<String> calls() {
    return List.copyOf(calls);
  }

  void reset() {
    calls.clear();
  }

  @Override
  public SessionRecord create(SessionRecord record) {
    calls.add("create");
    return delegate.create(record);
  }

  @Override
  public void save(SessionRecord record) {
    calls.add("save");
    delegate.save(record);
  }

  @Override
  public boolean update(SessionRecord record) {
    calls.add("update");
    return delegate.update(record);
  }

  @Override
  public boolean updateIfUnchanged(SessionRecord record) {
    calls.add("updateIfUnchanged");
    return delegate.updateIfUnchanged(record);
  }

  @Override
  public Optional<SessionRecord> modify(
      SessionId id, Function<SessionRecord, Optional<SessionRecord>> change) {
    calls.add("modify");
    return delegate.modify(id, change);
  }

  @Override
  public Optional<SessionRecord> rotate(SessionId from, SessionRecord to) {
    calls.add("rotate");
    return delegate.rotate(from, to);
  }

  @Override
  public Optional<SessionRecord> load(SessionId id) {
    calls.add("load");
    return delegate.load(id);
  }

  @Override
  public void delete(SessionId id) {
    calls.add("delete");
    delegate.delete(id);
  }
}

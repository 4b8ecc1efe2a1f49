package app.getbodhi.session.web;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.service.ForwardingSessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A real store that records which operations a handle sent to it, in order. */
final class CountingStore extends ForwardingSessionStore {

  private final List<String> calls = new ArrayList<>();

  CountingStore(ManagedSessionStore delegate) {
    super(delegate);
  }

  List<String> calls() {
    return List.copyOf(calls);
  }

  void reset() {
    calls.clear();
  }

  @Override
  protected <T> T forward(String operation, Supplier<T> call) {
    calls.add(operation);
    return call.get();
  }
}

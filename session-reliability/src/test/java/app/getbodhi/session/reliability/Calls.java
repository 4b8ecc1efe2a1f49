package app.getbodhi.session.reliability;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers for timing store calls, waiting without sleeping, and reading whole error chains. */
final class Calls {

  private Calls() {}

  /** A store call to time. */
  @FunctionalInterface
  interface StoreCall {
    void run(ManagedSessionStore store);
  }

  /**
   * What one timed call did.
   *
   * @param name the call
   * @param elapsed how long it took, or how long it was waited for when it did not finish
   * @param finished whether it returned or threw within the wait
   * @param error what it threw, if anything
   */
  record Outcome(String name, Duration elapsed, boolean finished, Optional<Throwable> error) {

    Optional<SessionServiceException.Kind> kind() {
      return error
          .filter(SessionServiceException.class::isInstance)
          .map(e -> ((SessionServiceException) e).kind());
    }

    @Override
    public String toString() {
      return name
          + " "
          + (finished ? "finished" : "STILL RUNNING")
          + " after "
          + elapsed.toMillis()
          + " ms"
          + error.map(e -> " with " + e).orElse(" without an error");
    }
  }

  /**
   * One call of every kind a request or a cleaner makes, for a store whose database is down.
   *
   * @param known a session id that existed before the outage
   * @param user a user id
   * @return the calls by name, in a fixed order
   */
  static Map<String, StoreCall> everyKindOfCall(SessionRecord known, String user) {
    Map<String, StoreCall> calls = new LinkedHashMap<>();
    calls.put("load", store -> store.load(known.id()));
    calls.put("save", store -> store.save(known));
    // what a request's session handle writes with: at the revision it loaded, merging on a
    // conflict, and rotating the id at login (here of an id that does not exist)
    calls.put("updateIfUnchanged", store -> store.updateIfUnchanged(known));
    calls.put("modify", store -> store.modify(known.id(), stored -> Optional.of(known)));
    calls.put(
        "rotate", store -> store.rotate(SessionId.generate(), known.withId(SessionId.generate())));
    calls.put("create", store -> store.create(known.withId(SessionId.generate())));
    calls.put("delete", store -> store.delete(SessionId.generate()));
    // an administrator's calls by ref: revoke, look up a typed prefix, copy a page verbatim
    calls.put("revoke", store -> store.delete(store.refOf(SessionId.generate())));
    calls.put("findRefsByPrefix", store -> store.findRefsByPrefix("AbC", 10));
    calls.put("clearSessionsForUser", store -> store.clearSessionsForUser(user));
    calls.put("countSessionsForUser", store -> store.countSessionsForUser(user));
    calls.put("getSessionsForUser", store -> store.getSessionsForUser(user));
    calls.put("dumpPage", store -> store.dumpPage(Optional.empty(), 10));
    calls.put("loadSealedPage", store -> store.loadSealedPage(Optional.empty(), 10));
    calls.put("deleteExpired", ManagedSessionStore::deleteExpired);
    return calls;
  }

  /**
   * Runs every call at once, each on its own thread, and waits for each at most {@code patience}
   * from the start. Calls still running then are reported as not finished and left to end on their
   * own (their threads are daemons).
   *
   * @param store the store
   * @param calls the calls by name
   * @param patience how long to wait for all of them
   * @return one outcome per call, in the calls' order
   */
  static List<Outcome> timeAll(
      ManagedSessionStore store, Map<String, StoreCall> calls, Duration patience) {
    ExecutorService executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "timed-store-call");
              thread.setDaemon(true);
              return thread;
            });
    try {
      long start = System.nanoTime();
      List<CompletableFuture<Outcome>> futures = new ArrayList<>();
      calls.forEach(
          (name, call) ->
              futures.add(
                  CompletableFuture.supplyAsync(
                      () -> {
                        long begin = System.nanoTime();
                        Throwable error = null;
                        try {
                          call.run(store);
                        } catch (Throwable e) {
                          error = e;
                        }
                        return new Outcome(
                            name,
                            Duration.ofNanos(System.nanoTime() - begin),
                            true,
                            Optional.ofNullable(error));
                      },
                      executor)));
      List<Outcome> outcomes = new ArrayList<>();
      List<String> names = new ArrayList<>(calls.keySet());
      for (int i = 0; i < futures.size(); i++) {
        long left = patience.toNanos() - (System.nanoTime() - start);
        try {
          outcomes.add(futures.get(i).get(Math.max(0, left), TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
          outcomes.add(
              new Outcome(
                  names.get(i),
                  Duration.ofNanos(System.nanoTime() - start),
                  false,
                  Optional.empty()));
        } catch (Exception e) {
          throw new AssertionError("timing " + names.get(i) + " failed", e);
        }
      }
      return outcomes;
    } finally {
      executor.shutdown();
    }
  }

  /**
   * Waits until a condition holds, checking it again as soon as it was checked, for at most {@code
   * patience}; a bounded wait instead of a sleep.
   *
   * @param patience the longest wait
   * @param condition the condition; exceptions count as "not yet"
   * @return how long it took, or empty when the time ran out
   */
  static Optional<Duration> waitUntil(Duration patience, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + patience.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return Optional.of(Duration.ofNanos(System.nanoTime() - start));
        }
      } catch (RuntimeException e) {
        // not yet
      }
      if (System.nanoTime() >= deadline) {
        return Optional.empty();
      }
      Thread.onSpinWait();
      // checking a database in a hot loop would only load it; give up the CPU briefly
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /**
   * Everything a throwable would show in a log: its stack trace with every cause and suppressed
   * exception, messages and {@code toString()} included.
   *
   * @param error the throwable
   * @return the printed trace
   */
  static String printed(Throwable error) {
    StringWriter text = new StringWriter();
    error.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}

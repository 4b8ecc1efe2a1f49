package app.getbodhi.session.reliability;

import static app.getbodhi.session.tck.Records.content;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.tck.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A bounded, checkable load on one store: threads run a random mix of create, save (update and
 * upsert), load, delete, count and clear-for-user, each on its own sessions and users, plus a few
 * users every thread shares. Each thread keeps a model of what its sessions must hold; the run
 * checks every read against it and, at the end, every session against the last write: its id, data
 * and expiry ({@link app.getbodhi.session.tck.Records#content}), not the times and revision the
 * store adds.
 *
 * <p>Sessions of a shared user may be cleared by any thread at any time, so for them the check is:
 * absent only if some clear of that user could have run after the last write began, otherwise
 * present and equal to the last write; never any other value.
 */
final class StoreLoad {

  /** Users every thread writes and clears. */
  private static final List<String> SHARED_USERS = List.of("shared-0", "shared-1");

  private static final int OWN_USERS = 3;

  /** Past this many live sessions a thread deletes more than it creates. */
  private static final int MAX_SESSIONS_PER_THREAD = 150;

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzÄßΩж中文🙂'\"%_\\";

  private final ManagedSessionStore store;
  private final int threads;
  private final long seed;
  private final Instant expiry = Instant.now().plus(1, ChronoUnit.DAYS);

  /** Orders writes and clears across threads: an event's ticks bound when its statement ran. */
  private final AtomicLong ticks = new AtomicLong();

  private final Map<String, ConcurrentLinkedQueue<Span>> clears = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
  private final AtomicLong operations = new AtomicLong();
  private final AtomicInteger writesInFlight = new AtomicInteger();
  private final AtomicInteger maxWritesInFlight = new AtomicInteger();
  private final List<Worker> workers = new ArrayList<>();

  /** A clear of a shared user: it ran some time between its start and end ticks. */
  private static final class Span {
    final long start;
    volatile long end = Long.MAX_VALUE;

    Span(long start) {
      this.start = start;
    }
  }

  /** What a thread expects of one of its sessions. */
  private record Expected(SessionRecord record, long writeStart) {
    Optional<String> sharedUser() {
      return record.userId().filter(SHARED_USERS::contains);
    }
  }

  /**
   * What a run did and found.
   *
   * @param operations store calls made
   * @param errors exceptions thrown by the store (the first 20)
   * @param errorCount all exceptions thrown by the store
   * @param problems reads that disagreed with the model, during the run and at the end
   * @param verified sessions checked at the end
   * @param lost sessions that had to be there but were not
   * @param corrupted sessions that were there but held another value
   * @param maxWritesInFlight the most writes running at one moment: proof that writers overlapped
   * @param elapsed how long the run took
   */
  record Result(
      long operations,
      List<Throwable> errors,
      int errorCount,
      List<String> problems,
      int verified,
      int lost,
      int corrupted,
      int maxWritesInFlight,
      Duration elapsed) {

    @Override
    public String toString() {
      return String.format(
          "%d operations in %d ms (%.0f/s), %d errors, %d sessions verified, %d lost, %d"
              + " corrupted, %d problems, up to %d writes at once",
          operations,
          elapsed.toMillis(),
          operations * 1000.0 / Math.max(1, elapsed.toMillis()),
          errorCount,
          verified,
          lost,
          corrupted,
          problems.size(),
          maxWritesInFlight);
    }
  }

  StoreLoad(ManagedSessionStore store, int threads, long seed) {
    this.store = store;
    this.threads = threads;
    this.seed = seed;
    SHARED_USERS.forEach(user -> clears.put(user, new ConcurrentLinkedQueue<>()));
  }

  /**
   * Runs the load: every thread makes {@code operationsPerThread} calls, or keeps going until
   * {@code until} when that is given.
   *
   * @param operationsPerThread calls per thread, for a bounded run
   * @param until when to stop, for a timed run (soak), or empty
   * @return what happened, after the final check
   */
  Result run(int operationsPerThread, Optional<Instant> until) throws InterruptedException {
    long start = System.nanoTime();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Worker worker = new Worker(t, new Random(seed * 31 + t));
      workers.add(worker);
      tasks.add(
          () -> {
            worker.run(operationsPerThread, until);
            return null;
          });
    }
    // two minutes beyond the planned length before the run counts as hung
    Duration planned = until.map(end -> Duration.between(Instant.now(), end)).orElse(Duration.ZERO);
    Concurrently.runAtOnce(tasks, planned.plusMinutes(2));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    int[] counts = verify();
    List<Throwable> firstErrors = errors.stream().limit(20).toList();
    return new Result(
        operations.get(),
        firstErrors,
        errors.size(),
        List.copyOf(problems),
        counts[0],
        counts[1],
        counts[2],
        maxWritesInFlight.get(),
        elapsed);
  }

  /** Checks every thread's sessions and users against the store; returns verified, lost, bad. */
  private int[] verify() {
    int verified = 0;
    int lost = 0;
    int corrupted = 0;
    // the table holds refs (hashes of ids), never ids: listings are checked by ref
    Set<SessionRef> known = new HashSet<>();
    for (Worker worker : workers) {
      for (Expected expected : worker.sessions.values()) {
        known.add(store.refOf(expected.record().id()));
        Optional<SessionRecord> stored = store.load(expected.record().id());
        verified++;
        if (stored.isEmpty()) {
          if (!mayHaveBeenCleared(expected)) {
            lost++;
            problems.add("lost: " + describe(expected));
          }
        } else if (!content(stored.get()).equals(content(expected.record()))) {
          corrupted++;
          problems.add("corrupted: " + describe(expected) + " but found " + stored.get().data());
        }
      }
      for (int u = 0; u < OWN_USERS; u++) {
        String user = worker.ownUser(u);
        Set<SessionRef> expectedRefs =
            worker.idsOf(user).stream().map(store::refOf).collect(Collectors.toSet());
        Set<SessionRef> storedRefs =
            new HashSet<>(
                store.getSessionsForUser(user).stream().map(SessionSummary::ref).toList());
        if (!storedRefs.equals(expectedRefs)) {
          problems.add(
              "user "
                  + user
                  + " holds "
                  + storedRefs.size()
                  + " sessions, expected "
                  + expectedRefs.size());
        }
        if (store.countSessionsForUser(user) != expectedRefs.size()) {
          problems.add("count of " + user + " is wrong");
        }
      }
    }
    // no row the threads do not know of: nothing resurrected, nothing invented
    for (SessionSummary summary : store.streamAllSessions(1000).toList()) {
      if (!known.contains(summary.ref())) {
        problems.add("unexpected row " + summary.ref() + " of user " + summary.userId());
      }
    }
    return new int[] {verified, lost, corrupted};
  }

  private boolean mayHaveBeenCleared(Expected expected) {
    Optional<String> shared = expected.sharedUser();
    return shared.isPresent()
        && clears.get(shared.get()).stream().anyMatch(span -> span.end > expected.writeStart());
  }

  /** Names a session by its ref, which is safe to print, unlike its id. */
  private String describe(Expected expected) {
    return store.refOf(expected.record().id())
        + " of user "
        + expected.record().userId().orElse("(none)")
        + " at version "
        + expected.record().data().get("version");
  }

  private final class Worker {
    private final int index;
    private final Random random;
    private final Map<SessionId, Expected> sessions = new LinkedHashMap<>();
    private final List<SessionId> ids = new ArrayList<>();
    private int version;

    Worker(int index, Random random) {
      this.index = index;
      this.random = random;
    }

    String ownUser(int u) {
      return "load-" + index + "-user-" + u;
    }

    Set<SessionId> idsOf(String user) {
      return sessions.values().stream()
          .filter(e -> e.record().userId().equals(Optional.of(user)))
          .map(e -> e.record().id())
          .collect(Collectors.toSet());
    }

    void run(int operationsPerThread, Optional<Instant> until) {
      for (int n = 0; until.isPresent() || n < operationsPerThread; n++) {
        if (until.isPresent() && (n % 50 == 0) && Instant.now().isAfter(until.get())) {
          return;
        }
        try {
          step();
        } catch (RuntimeException e) {
          errors.add(e);
        }
        operations.incrementAndGet();
      }
    }

    private void step() {
      int dice = random.nextInt(100);
      boolean full = sessions.size() >= MAX_SESSIONS_PER_THREAD;
      if (sessions.isEmpty() || (dice < 22 && !full)) {
        create();
      } else if (dice < 45) {
        save();
      } else if (dice < 75) {
        load();
      } else if (dice < 85 || full) {
        delete();
      } else if (dice < 91) {
        count();
      } else if (dice < 97) {
        clearOwnUser();
      } else {
        clearSharedUser();
      }
    }

    private Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      int who = random.nextInt(100);
      if (who < 45) {
        data.put(SessionRecord.USER_ID_KEY, ownUser(random.nextInt(OWN_USERS)));
      } else if (who < 60) {
        data.put(SessionRecord.USER_ID_KEY, SHARED_USERS.get(random.nextInt(SHARED_USERS.size())));
      }
      data.put("version", (long) ++version);
      data.put("thread", (long) index);
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(200);
      for (int i = 0; i < length; i++) {
        text.appendCodePoint(
            ALPHABET.codePointAt(
                ALPHABET.offsetByCodePoints(
                    0, random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
      }
      data.put("text", text.toString());
      data.put(
          "nested",
          Map.of("list", List.of(random.nextLong(), random.nextDouble(), random.nextBoolean())));
      return data;
    }

    private long beginWrite() {
      int now = writesInFlight.incrementAndGet();
      maxWritesInFlight.accumulateAndGet(now, Math::max);
      return ticks.incrementAndGet();
    }

    private void endWrite() {
      writesInFlight.decrementAndGet();
    }

    private SessionId pick() {
      return ids.get(random.nextInt(ids.size()));
    }

    private void remember(SessionRecord record, long writeStart) {
      if (sessions.put(record.id(), new Expected(record, writeStart)) == null) {
        ids.add(record.id());
      }
    }

    private void forget(SessionId id) {
      if (sessions.remove(id) != null) {
        ids.remove(id);
      }
    }

    private void create() {
      SessionRecord record = new SessionRecord(SessionId.generate(), data(), expiry);
      long start = beginWrite();
      try {
        SessionRecord stored = store.create(record);
        if (!stored.data().equals(record.data())) {
          problems.add("create returned other data");
        }
        remember(stored, start);
      } finally {
        endWrite();
      }
    }

    private void save() {
      boolean upsertNew = random.nextInt(4) == 0;
      SessionId id = upsertNew ? SessionId.generate() : pick();
      SessionRecord record = new SessionRecord(id, data(), expiry);
      long start = beginWrite();
      try {
        if (upsertNew || random.nextBoolean()) {
          store.save(record);
          remember(record, start);
        } else {
          Expected before = sessions.get(id);
          // written only while the session still exists, as a request's handle writes
          boolean updated = store.modify(id, stored -> Optional.of(record)).isPresent();
          if (updated) {
            remember(record, start);
          } else if (mayHaveBeenCleared(before)) {
            forget(id);
          } else {
            problems.add("update found no row for " + describe(before));
            forget(id);
          }
        }
      } finally {
        endWrite();
      }
    }

    private void load() {
      if (random.nextInt(20) == 0) {
        if (store.load(SessionId.generate()).isPresent()) {
          problems.add("an unknown id loaded a session");
        }
        return;
      }
      SessionId id = pick();
      Expected expected = sessions.get(id);
      Optional<SessionRecord> stored = store.load(id);
      if (stored.isEmpty()) {
        if (mayHaveBeenCleared(expected)) {
          forget(id);
        } else {
          problems.add("load lost " + describe(expected));
        }
      } else if (!content(stored.get()).equals(content(expected.record()))) {
        problems.add("load of " + describe(expected) + " found " + stored.get().data());
      }
    }

    private void delete() {
      SessionId id = pick();
      ticks.incrementAndGet();
      store.delete(id);
      forget(id);
      if (store.load(id).isPresent()) {
        problems.add("a deleted session still loads");
      }
    }

    private void count() {
      String user = ownUser(random.nextInt(OWN_USERS));
      int expected = idsOf(user).size();
      int counted = store.countSessionsForUser(user);
      if (counted != expected) {
        problems.add("count of " + user + " is " + counted + ", expected " + expected);
      }
    }

    private void clearOwnUser() {
      String user = ownUser(random.nextInt(OWN_USERS));
      Set<SessionId> mine = idsOf(user);
      int cleared = store.clearSessionsForUser(user);
      if (cleared != mine.size()) {
        problems.add("clearing " + user + " deleted " + cleared + ", expected " + mine.size());
      }
      mine.forEach(this::forget);
    }

    private void clearSharedUser() {
      String user = SHARED_USERS.get(random.nextInt(SHARED_USERS.size()));
      Span span = new Span(ticks.incrementAndGet());
      clears.get(user).add(span);
      try {
        store.clearSessionsForUser(user);
      } finally {
        span.end = ticks.incrementAndGet();
      }
      // this thread's sessions of that user that it wrote before the clear began are gone now
      for (Expected expected : List.copyOf(sessions.values())) {
        if (expected.sharedUser().equals(Optional.of(user)) && expected.writeStart() < span.start) {
          forget(expected.record().id());
          if (store.load(expected.record().id()).isPresent()) {
            problems.add("a cleared session still loads: " + describe(expected));
          }
        }
      }
    }
  }
}

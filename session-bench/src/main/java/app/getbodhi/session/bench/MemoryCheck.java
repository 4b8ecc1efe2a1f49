package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Runs in its own JVM with a small heap ({@code -Xmx256m}, started by {@link BenchMain}): streams
 * every session of a large table, or copies every live one into another store, and prints one line
 * {@code RESULT ok|failed rows=N seconds=S peakHeapMB=M maxHeapMB=X}. The peak is sampled every 5
 * ms from the heap's used bytes.
 *
 * <p>Arguments: {@code dump|copy|list BACKEND SOURCE [TARGET]}; databases as {@link BenchDb} names.
 * {@code list} collects every summary into one list, to show what streaming the pages avoids.
 */
public final class MemoryCheck {

  static final int PAGE = 1000;

  private MemoryCheck() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    BenchDb source = BenchDb.of(args[1], args[2]);
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (true) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                peak.accumulateAndGet(used, Math::max);
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    long start = System.nanoTime();
    long rows = 0;
    String outcome = "ok";
    String error = "";
    try (ManagedSessionStore store = source.openOurs()) {
      switch (mode) {
        case "dump" -> {
          // what `sessions dump` does: every summary, one page in memory at a time
          try (Stream<SessionSummary> all = store.streamAllSessions(PAGE)) {
            rows = all.filter(s -> s.ref().value().length() == SessionRef.LENGTH).count();
          }
        }
        case "copy" -> {
          // what `sessions copy` does: a page of live sessions read sealed, then written verbatim
          // in one batch (no key is needed, none is used)
          try (ManagedSessionStore into =
              ":memory:".equals(args[3])
                  ? app.getbodhi.session.sqlite.SqliteSessionStore.open("sqlite::memory:")
                  : BenchDb.of(args[1], args[3]).openOurs()) {
            into.migrate();
            Optional<SessionRef> after = Optional.empty();
            List<SealedSession> page;
            do {
              page = store.loadSealedPage(after, PAGE);
              into.saveAllSealed(page);
              rows += page.size();
              if (!page.isEmpty()) {
                after = Optional.of(page.get(page.size() - 1).ref());
              }
            } while (page.size() == PAGE);
          }
        }
        case "list" -> {
          List<SessionSummary> all = store.streamAllSessions(PAGE).toList();
          rows = all.size();
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    } catch (OutOfMemoryError e) {
      outcome = "failed";
      error = " error=OutOfMemoryError";
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long max = Runtime.getRuntime().maxMemory();
    System.out.printf(
        "RESULT %s rows=%d seconds=%.1f peakHeapMB=%d maxHeapMB=%d%s%n",
        outcome, rows, seconds, peak.get() >> 20, max >> 20, error);
    System.out.flush();
    System.exit(0);
  }
}

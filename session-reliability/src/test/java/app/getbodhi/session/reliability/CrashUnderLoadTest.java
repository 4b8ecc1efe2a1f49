package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.tck.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a JVM that writes through the store with SIGKILL ({@link Process#destroyForcibly()} on
 * Linux) at random moments, {@value #KILLS} times per backend, and after each kill checks: SQLite's
 * {@code PRAGMA integrity_check} says ok; migrating the store, as the next start does, finds
 * nothing to apply (no repair); every write the children acknowledged is there with its last
 * acknowledged content, every acknowledged delete stays deleted, and a write that was in flight
 * happened wholly or not at all (a rotation leaves exactly one of its two ids). The children record
 * each write before and after it, fsync'd ({@link CrashWriter}); their store runs in a secret
 * rotation, so every write by id is a multi-statement transaction.
 *
 * <p>One database per backend for all kills (PostgreSQL: a schema on the shared embedded server),
 * so that each kill's checks also cover every session of the runs before it.
 */
class CrashUnderLoadTest {

  /** Kills per backend. */
  static final int KILLS = 50;

  /** The most writes a child is let acknowledge before the moment of its kill is drawn. */
  private static final int MAX_WRITES_BEFORE_KILL = 10;

  /** The longest the kill waits after those writes, in milliseconds: it lands within a write. */
  private static final int MAX_KILL_DELAY_MILLIS = 20;

  /** How long a child may take to open the store and make its writes. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Small and quick to start: each kill costs one JVM start. */
  private static final List<String> CHILD_JVM =
      List.of("-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void every_acknowledged_write_survives_sigkill_at_random_moments(Backend backend)
      throws Exception {
    Path log = dir.resolve("acknowledged.log");
    Files.createFile(log);
    Random random = new Random();
    long startedAt = System.nanoTime();
    int integrityChecks = 0;
    long writesChecked = 0;
    List<String> lost = new ArrayList<>();
    try (TestDatabase db = backend.freshDatabase()) {
      try (ManagedSessionStore checker =
          SessionStoreBackend.selectProvider(db.url(), SessionStoreBackend.discoverProviders())
              .open(db.url(), CrashWriter.CONFIG)) {
        assertThat(checker.migrate().migrationsApplied()).isPositive();
        for (int kill = 0; kill < KILLS; kill++) {
          runAndKill(db.url(), log, random.nextLong(), (kill + 1) * 1_000_000L, random);
          if (backend == Backend.SQLITE) {
            assertThat(db.queryStrings("PRAGMA integrity_check")).containsExactly("ok");
            integrityChecks++;
          }
          // what the next start does first: nothing to apply, nothing to repair
          assertThat(checker.migrate().migrationsApplied()).isZero();
          AckLog acknowledged = AckLog.read(log);
          lost.addAll(check(checker, db, acknowledged, kill));
          writesChecked += acknowledged.acknowledged;
        }
      }
      AckLog all = AckLog.read(log);
      System.out.printf(
          "crash test on %s: %d kills in %d s, %d integrity checks, %d writes acknowledged,"
              + " %d acknowledged-write checks, %d sessions live at the end, %d lost%n",
          backend,
          KILLS,
          Duration.ofNanos(System.nanoTime() - startedAt).toSeconds(),
          integrityChecks,
          all.acknowledged,
          writesChecked,
          all.live.size(),
          lost.size());
      assertThat(lost).as("acknowledged writes lost or changed").isEmpty();
      assertThat(all.starts).isEqualTo(KILLS);
      assertThat(all.acknowledged).as("the children wrote between kills").isGreaterThan(KILLS);
      assertThat(all.inFlight).as("kills that landed mid-write").isNotEmpty();
    }
  }

  /**
   * Starts a child, lets it acknowledge a random number of writes, and kills it a random moment
   * later.
   */
  private static void runAndKill(String url, Path log, long seed, long firstVersion, Random random)
      throws Exception {
    AckLog before = AckLog.read(log);
    long writes = before.acknowledged + random.nextInt(MAX_WRITES_BEFORE_KILL + 1);
    try (ChildJvm.Running child =
        ChildJvm.start(
            CrashWriter.class,
            Map.of(),
            CHILD_JVM,
            url,
            log.toString(),
            Long.toString(seed),
            Long.toString(firstVersion))) {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      // waiting on another process, not timing logic: poll its log for its start and its writes
      for (AckLog now = before;
          now.starts == before.starts || now.acknowledged < writes;
          now = AckLog.read(log)) {
        assertThat(child.isAlive()).as("the child died: %s", child.stderrSoFar()).isTrue();
        assertThat(System.nanoTime()).as("the child did not write").isLessThan(deadline);
        Thread.sleep(1);
      }
      Thread.sleep(random.nextInt(MAX_KILL_DELAY_MILLIS + 1));
      assertThat(child.isAlive()).as("the child died: %s", child.stderrSoFar()).isTrue();
      child.kill();
    }
  }

  /**
   * Checks the database against the log through a store, as the next start would read it.
   *
   * @return a description of each session not as acknowledged
   */
  private static List<String> check(
      ManagedSessionStore store, TestDatabase db, AckLog log, int kill) {
    List<String> wrong = new ArrayList<>();
    long present = 0;
    for (SessionId id : log.named()) {
      Optional<SessionRecord> loaded = store.load(id);
      Optional<Long> found = loaded.map(r -> ((Number) r.data().get("v")).longValue());
      Set<Optional<Long>> allowed = log.allowed(id);
      if (!allowed.contains(found)) {
        wrong.add("after kill " + kill + ": a session holds " + found + ", not one of " + allowed);
      } else if (loaded.isPresent() && !loaded.get().data().equals(CrashWriter.data(found.get()))) {
        wrong.add("after kill " + kill + ": a session's data is not what was written with it");
      }
      if (found.isPresent()) {
        present++;
      }
    }
    for (String[] write : log.inFlight) {
      if (write[1].equals("R")) {
        boolean from = store.load(SessionId.parse(write[2]).orElseThrow()).isPresent();
        boolean to = store.load(SessionId.parse(write[3]).orElseThrow()).isPresent();
        if (from == to) {
          wrong.add(
              "after kill " + kill + ": a rotation left " + (from ? "both ids" : "neither id"));
        }
      }
    }
    if (db.sessionRowCount() != present) {
      wrong.add(
          "after kill "
              + kill
              + ": "
              + db.sessionRowCount()
              + " rows for "
              + present
              + " sessions");
    }
    return wrong;
  }
}

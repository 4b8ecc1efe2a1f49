package app.getbodhi.session.reliability;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The child of {@link CrashUnderLoadTest}: writes through a store without pause (creates, changes
 * by {@code updateIfUnchanged} and by {@code modify}, id rotations, deletes) until it is killed.
 * Before each write it records what it is about to do, and after the store returned, that the write
 * is acknowledged; each record is fsync'd before the next step, so the log says exactly which
 * writes the store acknowledged and which one (at most) was in flight. It touches only sessions it
 * created itself, one write at a time.
 *
 * <p>The log, one record a line ({@link AckLog} reads it): {@code S} once the store is open (the
 * test migrated it before the first child); {@code I C|U <id> <version>}, {@code I R <from> <to>
 * <version>} or {@code I D <id>} before a write; {@code A} after it. A session's data is {@link
 * #data} of its version.
 *
 * <p>Arguments: the store's URL, the log file, a random seed, the first version to use, and
 * optionally how many writes to make before exiting normally (else it writes until killed).
 */
final class CrashWriter {

  /** The secrets both the child and the checking test use: a store in a secret rotation. */
  static final SessionStoreConfig CONFIG =
      SessionStoreConfig.defaults()
          .withSecret(SessionSecret.of(bytes(7)))
          .withPreviousSecret(Optional.of(SessionSecret.of(bytes(3))));

  private static final Duration LIFETIME = Duration.ofDays(1);

  private final ManagedSessionStore store;
  private final FileChannel log;
  private final Random random;
  private final List<SessionId> live = new ArrayList<>();
  private long version;

  private CrashWriter(ManagedSessionStore store, FileChannel log, Random random, long version) {
    this.store = store;
    this.log = log;
    this.random = random;
    this.version = version;
  }

  private static byte[] bytes(int seed) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (seed * 17 + i);
    }
    return bytes;
  }

  /**
   * The data a session holds at a version: a user (so the user index is written too) and the
   * version.
   *
   * @param version the version
   * @return the data
   */
  static Map<String, Object> data(long version) {
    return Map.of(SessionRecord.USER_ID_KEY, "user-" + (version % 5), "v", version);
  }

  public static void main(String[] args) throws IOException {
    String url = args[0];
    Path logFile = Path.of(args[1]);
    try (ManagedSessionStore store =
            SessionStoreBackend.selectProvider(url, SessionStoreBackend.discoverProviders())
                .open(url, CONFIG);
        FileChannel log =
            FileChannel.open(
                logFile,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
      CrashWriter writer =
          new CrashWriter(store, log, new Random(Long.parseLong(args[2])), Long.parseLong(args[3]));
      writer.record("S");
      long writes = args.length > 4 ? Long.parseLong(args[4]) : Long.MAX_VALUE;
      for (long i = 0; i < writes; i++) {
        writer.writeOne();
      }
    }
  }

  private void record(String line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
    while (buffer.hasRemaining()) {
      log.write(buffer);
    }
    log.force(false);
  }

  private void writeOne() throws IOException {
    long v = ++version;
    int choice = live.size() < 3 ? 0 : random.nextInt(10);
    if (choice < 3) {
      SessionId id = SessionId.generate();
      record("I C " + id.value() + " " + v);
      SessionRecord created =
          store.create(new SessionRecord(id, data(v), Instant.now().plus(LIFETIME)));
      check(created.id().equals(id), "create drew another id");
      live.add(id);
    } else if (choice < 6) {
      SessionId id = live.get(random.nextInt(live.size()));
      record("I U " + id.value() + " " + v);
      check(change(id, v), "the session to change was gone");
    } else if (choice < 8) {
      int index = random.nextInt(live.size());
      SessionId from = live.get(index);
      SessionId to = SessionId.generate();
      record("I R " + from.value() + " " + to.value() + " " + v);
      SessionRecord current = store.load(from).orElseThrow();
      Optional<SessionRecord> moved =
          store.rotate(from, changed(current, v).withId(to).withRevision(current.revision()));
      check(moved.map(SessionRecord::id).equals(Optional.of(to)), "the rotation failed");
      live.set(index, to);
    } else {
      SessionId id = live.remove(random.nextInt(live.size()));
      record("I D " + id.value());
      store.delete(id);
    }
    record("A");
  }

  /** Changes a session's data to a version, by either of the writes a request makes. */
  private boolean change(SessionId id, long v) {
    if (random.nextBoolean()) {
      return store.modify(id, current -> Optional.of(changed(current, v))).isPresent();
    }
    SessionRecord current = store.load(id).orElseThrow();
    return store.updateIfUnchanged(changed(current, v));
  }

  private static SessionRecord changed(SessionRecord current, long v) {
    return new SessionRecord(
        current.id(),
        data(v),
        current.expiryDate(),
        current.createdAt(),
        current.lastAccessedAt(),
        current.maxInactiveInterval(),
        current.revision());
  }

  /** This child is the sessions' only writer: anything else is a failure it reports by dying. */
  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new IllegalStateException(failure);
    }
  }
}

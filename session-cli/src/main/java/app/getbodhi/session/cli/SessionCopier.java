package app.getbodhi.session.cli;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Copies every live session from one store to another, for the move from a standalone SQLite file
 * to a cluster's PostgreSQL without logging anyone out.
 *
 * <p>Sessions are read a page at a time with {@link ManagedSessionStore#loadSealedPage} (keyset
 * paging by ref) and each page is written with {@link ManagedSessionStore#saveAllSealed}, upserts
 * in one transaction. Rows move exactly as stored, sealed: the copier never opens a session, so it
 * needs no key and no secret. The copy is idempotent, so running it twice (or again after an
 * interruption) is safe, and a session changed on the source in the meantime is brought up to date.
 * Memory holds one page, however large the store.
 *
 * <p>Because the rows are copied verbatim, the copies stay valid (a user's cookie still opens its
 * session) only when the servers on the target run with the same {@code BODHI_SESSION_SECRET} as
 * the source's, or with none if the source had none: the ref and the data key are derived from the
 * session id and that secret.
 *
 * @param batchSize sessions per page read, and between two progress reports
 */
record SessionCopier(int batchSize) {

  /** The batch size unless {@code --batch-size} says otherwise. */
  static final int DEFAULT_BATCH_SIZE = 500;

  /** The largest batch size accepted: a page is held in memory whole and written in one call. */
  static final int MAX_BATCH_SIZE = ManagedSessionStore.MAX_SAVE_ALL;

  /** Hears how far a copy has come. */
  @FunctionalInterface
  interface Progress {
    /**
     * Called before the first batch and after each.
     *
     * @param done sessions copied so far
     * @param total the live sessions counted before the copy began; sessions created meanwhile may
     *     take {@code done} past it
     */
    void update(long done, long total);
  }

  /** Checks the batch size ({@code --batch-size} is checked while parsing, by the same limits). */
  SessionCopier {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batchSize must be from 1 to " + MAX_BATCH_SIZE + ", but is " + batchSize);
    }
  }

  /**
   * Copies every live session.
   *
   * @param source where sessions are read; its clock decides which are live
   * @param target where they are written
   * @param now the instant the progress total counts live sessions at
   * @param progress told before the first batch and after each; when it does not need a total, pass
   *     {@code null} to skip counting
   * @return how many sessions were copied
   */
  long copy(
      ManagedSessionStore source, ManagedSessionStore target, Instant now, Progress progress) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    long total = progress == null ? 0 : countLive(source, now);
    if (progress != null) {
      progress.update(0, total);
    }
    long copied = 0;
    Optional<SessionRef> after = Optional.empty();
    while (true) {
      List<SealedSession> page = source.loadSealedPage(after, batchSize);
      target.saveAllSealed(page);
      copied += page.size();
      if (progress != null) {
        progress.update(copied, Math.max(total, copied));
      }
      if (page.size() < batchSize) {
        return copied;
      }
      after = Optional.of(page.get(page.size() - 1).ref());
    }
  }

  // a pass over refs and expiry only, a page at a time: cheap next to copying the data
  private long countLive(ManagedSessionStore source, Instant now) {
    try (Stream<SessionSummary> sessions = source.streamAllSessions(batchSize)) {
      return sessions.filter(session -> session.expiryDate().isAfter(now)).count();
    }
  }
}

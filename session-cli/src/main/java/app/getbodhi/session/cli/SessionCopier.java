package app.getbodhi.session.cli;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
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
 * <p>Sessions are read a page at a time with {@link ManagedSessionStore#loadPage} (keyset paging by
 * id, data included) and each page is written with {@link ManagedSessionStore#saveAll}, upserts in
 * one transaction: the copy is idempotent, so running it twice (or again after an interruption) is
 * safe, and a session changed on the source in the meantime is brought up to date. Memory holds one
 * page, however large the store.
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
    Optional<SessionId> after = Optional.empty();
    while (true) {
      List<SessionRecord> page = source.loadPage(after, batchSize);
      target.saveAll(page);
      copied += page.size();
      if (progress != null) {
        progress.update(copied, Math.max(total, copied));
      }
      if (page.size() < batchSize) {
        return copied;
      }
      after = Optional.of(page.get(page.size() - 1).id());
    }
  }

  // a pass over ids and expiry only, a page at a time: cheap next to copying the data
  private long countLive(ManagedSessionStore source, Instant now) {
    try (Stream<SessionSummary> sessions = source.streamAllSessions(batchSize)) {
      return sessions.filter(session -> session.expiryDate().isAfter(now)).count();
    }
  }
}

package app.getbodhi.session.tck;

import app.getbodhi.session.SessionRecord;
import java.util.Optional;

/**
 * What a test compares when it reads back a session it wrote: the id, the data and the expiry. A
 * store adds what it owns (the creation and last access times it stamps when a record has none, and
 * a revision that grows with each write), which a test checks on its own where it means to.
 */
public final class Records {

  private Records() {}

  /**
   * Returns the record's id, data and expiry, without times, timeout or revision.
   *
   * @param record a record
   * @return its content
   */
  public static SessionRecord content(SessionRecord record) {
    return new SessionRecord(record.id(), record.data(), record.expiryDate());
  }

  /**
   * Returns the content of a loaded record, as {@link #content(SessionRecord)}.
   *
   * @param loaded what a store's {@code load} returned
   * @return its content, or empty
   */
  public static Optional<SessionRecord> content(Optional<SessionRecord> loaded) {
    return loaded.map(Records::content);
  }
}

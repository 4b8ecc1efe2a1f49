package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.internal.RowBinding.Row;
import app.getbodhi.session.jooq.internal.RowBinding.Sealed;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.List;
import java.util.Optional;

/**
 * Turns a session's data into what a row stores and back: JSON ({@link SessionJson}) sealed under
 * the id's keys ({@link Sealing}), and a found row opened into a record. Thread-safe.
 */
public final class SessionCodec {

  private final Sealing sealing;
  private final SessionJson json;

  /**
   * For one store.
   *
   * @param config the secrets and the size limit
   */
  public SessionCodec(SessionStoreConfig config) {
    this.sealing = new Sealing(config.secret(), config.previousSecret());
    this.json = new SessionJson(config.maxDataBytes());
  }

  /**
   * Returns the sealing.
   *
   * @return the keys and the cipher
   */
  public Sealing sealing() {
    return sealing;
  }

  /**
   * Returns the JSON reader and writer.
   *
   * @return the JSON codec, with the store's size limit
   */
  public SessionJson json() {
    return json;
  }

  /**
   * Writes a record's data as JSON, checking the size limit before anything is sealed or sent.
   *
   * @param record the session
   * @return the plain JSON
   */
  public byte[] plain(SessionRecord record) {
    return json.write(record.data());
  }

  /**
   * Seals plain data under an id's current key.
   *
   * @param id the session
   * @param plain its JSON
   * @return the row key and the sealed data
   */
  public Sealed seal(SessionId id, byte[] plain) {
    Sealing.Keys keys = sealing.keys(id);
    return new Sealed(keys.current(), sealing.seal(keys, plain));
  }

  /**
   * Seals a record's data under keys already derived.
   *
   * @param keys the id's keys
   * @param record the session
   * @return the sealed data
   */
  public byte[] seal(Sealing.Keys keys, SessionRecord record) {
    return sealing.seal(keys, plain(record));
  }

  /**
   * Refuses a sealed session too large for this store, before anything is written.
   *
   * @param session a session copied from another store
   * @throws SessionServiceException of kind SERIALIZATION when it is over the limit
   */
  public void checkSize(SealedSession session) {
    int limit = json.maxBytes() + Sealing.OVERHEAD;
    if (session.sealedData().length > limit) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "A sealed session is "
              + session.sealedData().length
              + " bytes, over the limit of "
              + limit
              + " (SessionStoreConfig.maxDataBytes plus sealing); nothing was written.");
    }
  }

  /**
   * Opens the row an id's keys found: the one under the current key when both keys found one, else
   * the one found. A row that fails to open (tampered, truncated, sealed under another secret) is
   * no session.
   *
   * <p>Two rows for one id exist only while a previous secret is configured, and only when a row
   * under the previous key came back after the session moved: copied in from a store taken before
   * the move, or written by a node that does not have the new secret yet. The current key's row is
   * the later one; the other is never opened, whatever order the database returns them in, and the
   * next write of the session deletes it (every write by id first deletes a previous-key row that
   * has a current-key twin).
   *
   * @param keys the id's keys
   * @param found the rows found, at most two
   * @return the session, or empty
   */
  public Optional<SessionRecord> open(Sealing.Keys keys, List<Row> found) {
    Row chosen = null;
    for (Row row : found) {
      if (chosen == null || row.rowKey().equals(keys.current())) {
        chosen = row;
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    Row row = chosen;
    return sealing
        .open(keys, row.rowKey(), row.data())
        .map(
            plain ->
                new SessionRecord(
                    keys.id(),
                    json.read(plain),
                    row.expiry(),
                    Optional.of(row.createdAt()),
                    Optional.of(row.lastAccessedAt()),
                    row.timeout(),
                    row.revision()));
  }
}

package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.jooq.internal.RowBinding;
import app.getbodhi.session.jooq.internal.Sealing;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * The SQL stores' own sealing and row binding, for code that measures a store against plain JDBC
 * and needs to write, find or open rows exactly as the store does: a benchmark's fixtures, its raw
 * JDBC baseline, the cost of sealing on its own. An application has no use for it: a store seals,
 * opens and binds its rows itself.
 *
 * <p>What it computes is what a store configured with the same secret (and no previous one) writes
 * and reads: a row key, one-way, in place of the id; data sealed with AES-256-GCM under a key
 * derived from the id, bound to that row key. Thread-safe.
 */
public final class StoreProbe {

  /** The first byte of sealed data, naming its format (AES-256-GCM). */
  public static final byte FORMAT = Sealing.FORMAT_AES_GCM;

  /** The nonce's length in bytes; it follows the format byte. */
  public static final int NONCE_BYTES = Sealing.NONCE_BYTES;

  /** The authentication tag's length in bytes; it ends the sealed data. */
  public static final int TAG_BYTES = Sealing.TAG_BYTES;

  private final Sealing sealing;

  /**
   * Seals and opens as a store with this secret does.
   *
   * @param secret the store's server secret; {@link SessionSecret#none()}, the default, for none
   */
  public StoreProbe(SessionSecret secret) {
    this.sealing = new Sealing(Objects.requireNonNull(secret, "secret"), Optional.empty());
  }

  /**
   * Computes the key a store files an id's row under.
   *
   * @param id the session id
   * @return the row key: 43 characters of URL-safe base64, which neither equals nor encodes the id
   */
  public String rowKey(SessionId id) {
    return sealing.ref(id).value();
  }

  /**
   * Computes what sealing and opening an id's data need: its row key and its bytes. Computing them
   * once lets a caller look the row up and open it without hashing the id twice, as a store does.
   *
   * @param id the session id
   * @return its keys
   */
  public Keys keys(SessionId id) {
    return new Keys(sealing.keys(id));
  }

  /**
   * Seals data for the row of {@code keys}, with a fresh random nonce.
   *
   * @param keys the id's keys
   * @param plain the plain data (a store's is JSON)
   * @return the bytes a store keeps in the row's data column
   */
  public byte[] seal(Keys keys, byte[] plain) {
    return sealing.seal(keys.keys, plain);
  }

  /**
   * Opens data found in the row of {@code keys}.
   *
   * @param keys the id's keys
   * @param sealed the row's data column
   * @return the plain data; empty when it fails to authenticate (tampered, truncated, sealed for
   *     another row or under another secret)
   */
  public Optional<byte[]> open(Keys keys, byte[] sealed) {
    return sealing.open(keys.keys, keys.rowKey(), sealed);
  }

  /**
   * Binds the {@code user_id} column as a store does: a user id, or SQL {@code NULL} for none.
   *
   * @param statement the statement
   * @param index the parameter's index, from 1
   * @param user the user id, or {@code null} for a session without one
   * @throws SQLException on a driver error
   */
  public static void bindUser(PreparedStatement statement, int index, String user)
      throws SQLException {
    RowBinding.bindUser(statement, index, user);
  }

  /** Says whether a secret is set, never what it is. */
  @Override
  public String toString() {
    return "StoreProbe[" + sealing + "]";
  }

  /**
   * One id's keys, from {@link #keys}. Its {@code toString} names the row key only: the id is a
   * bearer credential.
   */
  public static final class Keys {
    private final Sealing.Keys keys;

    private Keys(Sealing.Keys keys) {
      this.keys = keys;
    }

    /**
     * The key the store files the id's row under.
     *
     * @return the row key, as {@link StoreProbe#rowKey} computes it
     */
    public String rowKey() {
      return keys.current();
    }

    @Override
    public String toString() {
      return keys.toString();
    }
  }
}

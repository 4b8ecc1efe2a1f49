package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the store keeps in place of a session id and its data (see "Sealed storage" in the README).
 *
 * <ul>
 *   <li><b>Row key</b>: SHA-256 over {@link #ROW_KEY_LABEL} and the id's 16 bytes, or HMAC-SHA256
 *       keyed with the server secret when one is set; 43 characters of URL-safe base64. One-way:
 *       nothing in the database equals or encodes an id.
 *   <li><b>Data</b>: AES-256-GCM under a key derived from the id by HKDF-SHA256 (salt: the secret,
 *       if any; info: {@link #DATA_KEY_LABEL}, distinct from the row key's label), with a fresh
 *       random 96-bit nonce per write. The format byte and the row key are authenticated as
 *       associated data, so a ciphertext moved to another row, or relabelled, fails to open.
 *       Layout: {@code [format 0x01][nonce 12][ciphertext][tag 16]}.
 * </ul>
 *
 * <p>Only the browser holds the id, so whoever reads the table holds no key to any row. A {@link
 * #previous} secret, while rotating secrets, still opens the rows stored under it.
 *
 * <p>Thread-safe. Each thread keeps its own {@link MessageDigest}, {@link Mac} and {@link Cipher}:
 * creating them per call costs about three times the sealing itself.
 */
public final class Sealing {

  /** The first byte of sealed data: AES-256-GCM with a 96-bit nonce and a 128-bit tag. */
  public static final byte FORMAT_AES_GCM = 1;

  /** The nonce length, in bytes: 96 bits, GCM's native size. */
  public static final int NONCE_BYTES = 12;

  /** The authentication tag's length, in bytes. */
  public static final int TAG_BYTES = 16;

  /** What sealing adds to the plain data: format byte, nonce and tag. */
  public static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

  /**
   * Prefixed to the id before hashing it into a row key; a different purpose gets a different
   * label.
   */
  static final byte[] ROW_KEY_LABEL =
      "bodhi-sessions row key v1".getBytes(StandardCharsets.US_ASCII);

  /** HKDF's info for the data key, so that it never equals any other value derived from the id. */
  static final byte[] DATA_KEY_LABEL =
      "bodhi-sessions data key v1".getBytes(StandardCharsets.US_ASCII);

  private static final int DATA_KEY_BYTES = 32;
  private static final String HMAC = "HmacSHA256";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final SessionSecret current;
  private final Optional<SessionSecret> previous;
  private final SecureRandom random = new SecureRandom();
  private final ThreadLocal<Primitives> primitives = ThreadLocal.withInitial(Primitives::new);

  /**
   * Seals with a secret, and opens with it or a previous one.
   *
   * @param current the secret rows are written with; {@link SessionSecret#none()} for none
   * @param previous the secret rows may still be stored under, or empty
   */
  public Sealing(SessionSecret current, Optional<SessionSecret> previous) {
    this.current = Objects.requireNonNull(current, "current");
    this.previous = Objects.requireNonNull(previous, "previous");
  }

  /**
   * Tells whether a previous secret is configured, so that a row may be under either of two keys.
   *
   * @return whether lookups must try two row keys
   */
  public boolean hasPrevious() {
    return previous.isPresent();
  }

  /**
   * Computes the row keys of one id.
   *
   * @param id the session id
   * @return its row key under the current secret and, when configured, under the previous one
   */
  public Keys keys(SessionId id) {
    byte[] idBytes = id.bytes();
    Primitives p = primitives.get();
    return new Keys(
        id,
        idBytes,
        p.rowKey(false, idBytes),
        previous.isPresent() ? Optional.of(p.rowKey(true, idBytes)) : Optional.empty());
  }

  /**
   * Computes the row key of an id under the current secret.
   *
   * @param id the session id
   * @return its ref
   */
  public SessionRef ref(SessionId id) {
    return new SessionRef(primitives.get().rowKey(false, id.bytes()));
  }

  /**
   * Seals data for a row under the current secret.
   *
   * @param keys the id's keys; the row is {@link Keys#current()}
   * @param plain the plain data
   * @return format byte, nonce, ciphertext and tag
   */
  public byte[] seal(Keys keys, byte[] plain) {
    byte[] sealed = new byte[OVERHEAD + plain.length];
    sealed[0] = FORMAT_AES_GCM;
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
    try {
      Cipher cipher = primitives.get().cipher(Cipher.ENCRYPT_MODE, false, keys.idBytes, nonce);
      cipher.updateAAD(associatedData(keys.current()));
      cipher.doFinal(plain, 0, plain.length, sealed, 1 + NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to encrypt; the JDK is not conforming", e);
    }
    return sealed;
  }

  /**
   * Opens a row's data.
   *
   * @param keys the id's keys
   * @param rowKey the key the row was found under: the current or the previous one
   * @param sealed the stored data
   * @return the plain data; empty when the data fails to authenticate (tampered, truncated, moved
   *     from another row, sealed under another secret) or the row key is neither of the id's
   */
  public Optional<byte[]> open(Keys keys, String rowKey, byte[] sealed) {
    boolean usePrevious;
    if (rowKey.equals(keys.current())) {
      usePrevious = false;
    } else if (keys.previous().isPresent() && rowKey.equals(keys.previous().get())) {
      usePrevious = true;
    } else {
      return Optional.empty();
    }
    if (sealed == null || sealed.length < OVERHEAD || sealed[0] != FORMAT_AES_GCM) {
      return Optional.empty();
    }
    byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
    try {
      Cipher cipher =
          primitives.get().cipher(Cipher.DECRYPT_MODE, usePrevious, keys.idBytes, nonce);
      cipher.updateAAD(associatedData(rowKey));
      return Optional.of(cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to decrypt; the JDK is not conforming", e);
    }
  }

  /**
   * Derives the data key of an id under the current secret: for the test that checks it against
   * {@code Hkdf} (session-jooq's test-jar), which is checked against RFC 5869's vectors.
   */
  byte[] dataKey(SessionId id) {
    try {
      return primitives.get().dataKey(false, id.bytes());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 refused a key", e);
    }
  }

  /** The format byte, then the row key: both are bound to the ciphertext. */
  private static byte[] associatedData(String rowKey) {
    byte[] key = rowKey.getBytes(StandardCharsets.US_ASCII);
    byte[] aad = new byte[1 + key.length];
    aad[0] = FORMAT_AES_GCM;
    System.arraycopy(key, 0, aad, 1, key.length);
    return aad;
  }

  /** Says whether a secret is set, never what it is. */
  @Override
  public String toString() {
    return "Sealing[secret=" + current + ", previous=" + previous + "]";
  }

  /**
   * One id's row keys.
   *
   * @param id the id
   * @param current the row key under the current secret
   * @param previous the row key under the previous secret, when one is configured
   */
  public record Keys(SessionId id, byte[] idBytes, String current, Optional<String> previous) {
    /** Names the row keys only: they are safe to show, the id's bytes are not. */
    @Override
    public String toString() {
      return "Keys[" + current + previous.map(p -> ", previous " + p).orElse("") + "]";
    }
  }

  /**
   * One thread's digest, MACs and cipher, reused across calls. The MACs whose key never changes
   * (the row key's HMAC, keyed with a secret; HKDF-Extract's, keyed with the salt) are keyed once:
   * {@code doFinal} leaves a MAC keyed, so only HKDF-Expand's, keyed with each id's own
   * pseudorandom key, is keyed per call.
   */
  private final class Primitives {
    private final MessageDigest sha256;
    private final Scheme currentScheme;
    private final Scheme previousScheme;
    private final Mac expand;
    private final Cipher aesGcm;

    Primitives() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
        expand = Mac.getInstance(HMAC);
        aesGcm = Cipher.getInstance("AES/GCM/NoPadding");
        currentScheme = new Scheme(current);
        previousScheme = previous.isPresent() ? new Scheme(previous.get()) : null;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("The JDK lacks SHA-256, HmacSHA256 or AES/GCM", e);
      }
    }

    private Scheme scheme(boolean usePrevious) {
      return usePrevious ? previousScheme : currentScheme;
    }

    String rowKey(boolean usePrevious, byte[] idBytes) {
      Mac keyed = scheme(usePrevious).rowKey;
      byte[] hash;
      if (keyed == null) {
        sha256.update(ROW_KEY_LABEL);
        hash = sha256.digest(idBytes);
      } else {
        keyed.update(ROW_KEY_LABEL);
        hash = keyed.doFinal(idBytes);
      }
      return BASE64URL.encodeToString(hash);
    }

    /**
     * HKDF-SHA256 (RFC 5869) of the id with the scheme's salt, {@link #DATA_KEY_LABEL}, 32 bytes.
     */
    byte[] dataKey(boolean usePrevious, byte[] idBytes) throws GeneralSecurityException {
      byte[] prk = scheme(usePrevious).extract.doFinal(idBytes);
      expand.init(new SecretKeySpec(prk, HMAC));
      Arrays.fill(prk, (byte) 0);
      expand.update(DATA_KEY_LABEL);
      // one block: T(1) = HMAC(PRK, info | 0x01) is the whole 32-byte output
      expand.update((byte) 1);
      return expand.doFinal();
    }

    Cipher cipher(int mode, boolean usePrevious, byte[] idBytes, byte[] nonce)
        throws GeneralSecurityException {
      byte[] dataKey = dataKey(usePrevious, idBytes);
      aesGcm.init(
          mode, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      Arrays.fill(dataKey, (byte) 0);
      return aesGcm;
    }
  }

  /** One secret's MACs, keyed once per thread. */
  private static final class Scheme {
    /** HMAC keyed with the secret for row keys; {@code null} without a secret (plain SHA-256). */
    final Mac rowKey;

    /** HKDF-Extract's HMAC, keyed with the salt: the secret, or 32 zero bytes without one. */
    final Mac extract;

    Scheme(SessionSecret secret) throws GeneralSecurityException {
      Optional<byte[]> key = secret.bytes();
      if (key.isPresent()) {
        rowKey = Mac.getInstance(HMAC);
        rowKey.init(new SecretKeySpec(key.get(), HMAC));
      } else {
        rowKey = null;
      }
      extract = Mac.getInstance(HMAC);
      // RFC 5869 2.2: an absent salt is HashLen zero bytes
      extract.init(new SecretKeySpec(key.orElse(new byte[DATA_KEY_BYTES]), HMAC));
    }
  }
}

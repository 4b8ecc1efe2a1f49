package app.getbodhi.session.jooq.testing;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): extract a pseudorandom key from input keying material, then
 * expand it into as many output bytes as asked, bound to an {@code info} label. Built only on the
 * JDK's {@code HmacSHA256}, so it needs no provider beyond the one every JDK ships.
 *
 * <p>Each call creates its own {@link Mac}, so every method is safe from any thread. This is the
 * reference that RFC 5869's vectors check; {@link app.getbodhi.session.jooq.internal.Sealing}
 * derives its data keys the same way with MACs it keeps keyed per thread, and {@code SealingTest}
 * checks the two agree.
 */
public final class Hkdf {

  private Hkdf() {}

  private static final String ALGORITHM = "HmacSHA256";

  /** HashLen of RFC 5869: the output size of SHA-256, in bytes. */
  private static final int HASH_LEN = 32;

  /** The most {@code expand} may produce: the block counter is a single octet (RFC 5869 §2.3). */
  private static final int MAX_LENGTH = 255 * HASH_LEN;

  /**
   * The extract step: {@code PRK = HMAC-SHA256(salt, ikm)}.
   *
   * @param salt the salt; {@code null} or empty means 32 zero bytes (RFC 5869 §2.2)
   * @param ikm the input keying material
   * @return the pseudorandom key, 32 bytes
   */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    return extract(newMac(), salt, ikm);
  }

  /**
   * The expand step: {@code T(1) | T(2) | …} cut to {@code length} bytes, where {@code T(i) =
   * HMAC-SHA256(prk, T(i-1) | info | i)}.
   *
   * @param prk the pseudorandom key, normally the result of {@link #extract(byte[], byte[])}
   * @param info the context label; {@code null} means empty
   * @param length how many bytes to return, 1 to 8160 (255 * 32)
   * @return the output keying material, {@code length} bytes
   * @throws IllegalArgumentException if {@code length} is out of range
   */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    checkLength(length);
    return expand(newMac(), prk, info, length);
  }

  /**
   * Extract then expand: {@code expand(extract(salt, ikm), info, length)}.
   *
   * @param salt the salt; {@code null} or empty means 32 zero bytes
   * @param ikm the input keying material
   * @param info the context label; {@code null} means empty
   * @param length how many bytes to return, 1 to 8160 (255 * 32)
   * @return the output keying material, {@code length} bytes
   * @throws IllegalArgumentException if {@code length} is out of range
   */
  public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    // check before creating a Mac, so a bad length costs nothing
    checkLength(length);
    return derive(newMac(), salt, ikm, info, length);
  }

  private static byte[] derive(Mac mac, byte[] salt, byte[] ikm, byte[] info, int length) {
    byte[] prk = extract(mac, salt, ikm);
    try {
      return expand(mac, prk, info, length);
    } finally {
      // the PRK is as secret as the output; don't leave it on the heap longer than needed
      Arrays.fill(prk, (byte) 0);
    }
  }

  private static byte[] extract(Mac mac, byte[] salt, byte[] ikm) {
    Objects.requireNonNull(ikm, "ikm");
    // SecretKeySpec refuses an empty key, and RFC 5869 defines the missing salt as HashLen zeros
    byte[] key = salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt;
    init(mac, key);
    return mac.doFinal(ikm);
  }

  private static byte[] expand(Mac mac, byte[] prk, byte[] info, int length) {
    Objects.requireNonNull(prk, "prk");
    init(mac, prk);
    byte[] label = info == null ? new byte[0] : info;
    byte[] okm = new byte[length];
    byte[] block = new byte[0];
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      mac.update(block);
      mac.update(label);
      // one octet: every public entry has checked the length, which keeps the counter in 1..255
      mac.update((byte) counter);
      byte[] next = mac.doFinal();
      Arrays.fill(block, (byte) 0);
      block = next;
      int n = Math.min(block.length, length - written);
      System.arraycopy(block, 0, okm, written, n);
      written += n;
    }
    Arrays.fill(block, (byte) 0);
    return okm;
  }

  private static void checkLength(int length) {
    if (length < 1 || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "HKDF-SHA256 output length must be 1 to "
              + MAX_LENGTH
              + " bytes (255 * 32, RFC 5869 §2.3), not "
              + length);
    }
  }

  private static void init(Mac mac, byte[] key) {
    try {
      mac.init(new SecretKeySpec(key, ALGORITHM));
    } catch (InvalidKeyException e) {
      // HmacSHA256 takes a key of any non-empty length, and every key here is non-empty
      throw new IllegalStateException("HmacSHA256 refused a key", e);
    }
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      // every conforming JDK must provide HmacSHA256 (Java Security Standard Algorithm Names)
      throw new IllegalStateException("This JDK has no HmacSHA256", e);
    }
  }
}

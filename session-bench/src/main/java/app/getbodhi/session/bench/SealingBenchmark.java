package app.getbodhi.session.bench;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.jooq.StoreProbe;
import app.getbodhi.session.jooq.testing.Hkdf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Where a sealed load's time goes, without a database: the store's own sealing, through {@link
 * StoreProbe} (no server secret, as the store's default), timed step by step, per call, on one
 * thread.
 *
 * <ul>
 *   <li>{@code keys}: the row key, SHA-256 over a label and the id's 16 bytes, base64url;
 *   <li>{@code open}: HKDF-SHA256 of the data key, then AES-256-GCM decryption and tag check;
 *   <li>{@code keysAndOpen}: both, which is all the sealing a {@code load} adds to its {@code
 *       SELECT};
 *   <li>{@code keysAndOpenPerCallInstances}: the same work with a new {@link MessageDigest}, {@link
 *       javax.crypto.Mac} and {@link Cipher} per call, what the store avoids by keeping one of each
 *       per thread;
 *   <li>{@code seal}: HKDF, a random nonce and AES-256-GCM encryption, what every write adds;
 *   <li>{@code parseJson}: Jackson reading the plain bytes into a map. Not the store's parser
 *       ({@code SessionJson} is package-private in session-jooq) but the same library on the same
 *       bytes, to put the sealing figures beside what a load already paid before sealing.
 * </ul>
 *
 * <p>Two sessions: {@code point}, the point benchmarks' own (about 130 bytes of JSON), so the
 * figures can be set against their {@code load}; and {@code 730}, a session of exactly 730 bytes
 * holding OAuth-like tokens, the size the design notes quote.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SealingBenchmark {

  /** The larger session's size in bytes of JSON. */
  static final int LARGE_BYTES = 730;

  /** The store's labels (not public); checked in {@link #setup}. */
  private static final byte[] ROW_KEY_LABEL =
      "bodhi-sessions row key v1".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] DATA_KEY_LABEL =
      "bodhi-sessions data key v1".getBytes(StandardCharsets.US_ASCII);

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  @Param({"point", "730"})
  public String session;

  StoreProbe sealing;
  SessionId id;
  StoreProbe.Keys keys;
  byte[] plain;
  byte[] sealed;

  @Setup(Level.Trial)
  public void setup() throws GeneralSecurityException {
    sealing = new StoreProbe(SessionSecret.none());
    id = BenchData.id(BenchData.POINT_SEED, 0);
    plain = "point".equals(session) ? BenchData.json(BenchData.data("user-0", 0, 0)) : large();
    keys = sealing.keys(id);
    sealed = sealing.seal(keys, plain);
    // what is timed must do the store's work: the same row key, the same plaintext back
    if (!Arrays.equals(sealing.open(keys, sealed).orElseThrow(), plain)) {
      throw new IllegalStateException("Sealing does not open what it sealed");
    }
    if (!rowKeyPerCall(id.bytes()).equals(keys.rowKey())) {
      throw new IllegalStateException("the per-call row key differs from the store's");
    }
    if (!Arrays.equals(openPerCall(id, sealed), plain)) {
      throw new IllegalStateException("the per-call open differs from the store's");
    }
  }

  /** A session of exactly {@link #LARGE_BYTES} bytes: the point session's fields plus tokens. */
  static byte[] large() {
    Map<String, Object> data = BenchData.data("user-0", 0, 0);
    data.put("refresh_token", "r".repeat(120));
    data.put("access_token", "");
    int fill = LARGE_BYTES - BenchData.json(data).length;
    data.put("access_token", "a".repeat(fill));
    byte[] json = BenchData.json(data);
    if (json.length != LARGE_BYTES) {
      throw new IllegalStateException("the large session is " + json.length + " bytes");
    }
    return json;
  }

  @Benchmark
  public StoreProbe.Keys keys() {
    return sealing.keys(id);
  }

  @Benchmark
  public Optional<byte[]> open() {
    return sealing.open(keys, sealed);
  }

  @Benchmark
  public Optional<byte[]> keysAndOpen() {
    return sealing.open(sealing.keys(id), sealed);
  }

  @Benchmark
  public byte[] keysAndOpenPerCallInstances() throws GeneralSecurityException {
    return openPerCall(id, sealed);
  }

  @Benchmark
  public byte[] seal() {
    return sealing.seal(keys, plain);
  }

  @Benchmark
  public Map<String, Object> parseJson() throws IOException {
    return BenchData.parse(plain);
  }

  /** The row key as the store computes it, with a digest created for the call. */
  private static String rowKeyPerCall(byte[] idBytes) throws GeneralSecurityException {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(ROW_KEY_LABEL);
    return BASE64URL.encodeToString(sha256.digest(idBytes));
  }

  /**
   * {@link StoreProbe#keys} and {@link StoreProbe#open} done with JCA objects created per call:
   * {@link Hkdf#derive}'s static form makes its own {@code Mac}.
   */
  private static byte[] openPerCall(SessionId id, byte[] sealed) throws GeneralSecurityException {
    byte[] idBytes = id.bytes();
    String rowKey = rowKeyPerCall(idBytes);
    byte[] dataKey = Hkdf.derive(null, idBytes, DATA_KEY_LABEL, 32);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(dataKey, "AES"),
        new GCMParameterSpec(StoreProbe.TAG_BYTES * 8, sealed, 1, StoreProbe.NONCE_BYTES));
    byte[] key = rowKey.getBytes(StandardCharsets.US_ASCII);
    byte[] aad = new byte[1 + key.length];
    aad[0] = StoreProbe.FORMAT;
    System.arraycopy(key, 0, aad, 1, key.length);
    cipher.updateAAD(aad);
    int offset = 1 + StoreProbe.NONCE_BYTES;
    return cipher.doFinal(sealed, offset, sealed.length - offset);
  }
}

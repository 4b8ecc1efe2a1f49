package app.getbodhi.session.jooq.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.jooq.testing.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The stored format, held by known answers: rows written by this release, written down here byte
 * for byte, must open in every later release, or an upgrade logs everyone out and nodes of two
 * versions cannot read each other's rows. Each row is opened twice: by a path of its own built only
 * on {@code javax.crypto} and the RFC 5869-checked {@link Hkdf}, with the labels and the layout
 * spelled out here (so that the literals are known to mean what the format says), and by {@link
 * Sealing} (so that the code still reads them). A change to the layout, a label, the key derivation
 * or the associated data fails one or the other.
 *
 * <p>The literals were produced once by {@link Sealing} and are never to be regenerated: a failure
 * here means stored sessions would no longer open.
 */
class SealedFormatKnownAnswerTest {

  /** A session id as the cookie carries it: 16 bytes in unpadded URL-safe base64. */
  private static final String ID = "ieSim_YyJdQt9Y5wYTI6Tw";

  /** A server secret: bytes 0xa0 to 0xbf. */
  private static final String SECRET = "oKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8=";

  private static final String JSON = "{\"user_id\":\"alice\",\"role\":\"admin\"}";

  private static final byte[] ROW_KEY_LABEL =
      "bodhi-sessions row key v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA_KEY_LABEL =
      "bodhi-sessions data key v1".getBytes(StandardCharsets.US_ASCII);

  /** The row as a store without a secret wrote it. */
  private static final StoredRow WITHOUT_SECRET =
      new StoredRow(
          "D5HfQDZju0hJeOT5ACqQc8AmKBN3MiLWmKivWXuJ78k",
          "01",
          "c21ae68f1f7b8dfa131cc101",
          "49baee8d5fa7214c7171a23750e6a63ee59fd4ae905aee79f1fa3b544b0a86b218fc",
          "4816ae9e50e340c8c4aca2b26a40b47c");

  /** The row as a store with {@link #SECRET} wrote it. */
  private static final StoredRow WITH_SECRET =
      new StoredRow(
          "vSNflZjzHiWYuAhnn36kN0JOAt5a01-rKdpfba347G4",
          "01",
          "b750d8561c9c6a5f741ad130",
          "19e2d0cfcbfbec08cefdaabdc8e4ae05d3cbf10c2b890f047eeb7c98f9d5c5688f33",
          "798c29010a95edd5e27295ac5de7a391");

  /**
   * One stored row: its key column and its data column, cut into the layout's parts (hex).
   *
   * @param rowKey the {@code id} column
   * @param format the format byte
   * @param nonce the 96-bit nonce
   * @param ciphertext the encrypted JSON, as long as the JSON
   * @param tag the 128-bit GCM tag
   */
  private record StoredRow(
      String rowKey, String format, String nonce, String ciphertext, String tag) {

    /** The data column: format, nonce, ciphertext, tag. */
    byte[] data() {
      return HexFormat.of().parseHex(format + nonce + ciphertext + tag);
    }
  }

  private static byte[] idBytes() {
    return Base64.getUrlDecoder().decode(ID);
  }

  private static byte[] secret() {
    return Base64.getDecoder().decode(SECRET);
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The row key by the format's own definition: SHA-256, or HMAC-SHA256 keyed with the secret. */
  private static String rowKey(Optional<byte[]> secret) throws Exception {
    if (secret.isEmpty()) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(ROW_KEY_LABEL);
      return base64Url(sha256.digest(idBytes()));
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.get(), "HmacSHA256"));
    mac.update(ROW_KEY_LABEL);
    return base64Url(mac.doFinal(idBytes()));
  }

  /**
   * Opens a row by the format's own definition: AES-256-GCM under HKDF-SHA256(salt: the secret or
   * none, input: the id's bytes, info: the data key label), with the format byte and the row key as
   * associated data.
   */
  private static String open(StoredRow row, Optional<byte[]> secret, byte[] associatedData)
      throws Exception {
    byte[] dataKey = Hkdf.derive(secret.orElse(null), idBytes(), DATA_KEY_LABEL, 32);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(dataKey, "AES"),
        new GCMParameterSpec(128, HexFormat.of().parseHex(row.nonce())));
    cipher.updateAAD(associatedData);
    return new String(
        cipher.doFinal(HexFormat.of().parseHex(row.ciphertext() + row.tag())),
        StandardCharsets.UTF_8);
  }

  private static byte[] formatAndRowKey(StoredRow row) {
    return HexFormat.of()
        .parseHex(
            row.format()
                + HexFormat.of().formatHex(row.rowKey().getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void theIdIsItsSixteenBytesAsTheCookieCarriesThem() {
    assertThat(SessionId.parse(ID).orElseThrow().bytes()).isEqualTo(idBytes()).hasSize(16);
  }

  @Test
  void theRowKeysAreWhatTheFormatDefinesWithAndWithoutASecret() throws Exception {
    assertThat(rowKey(Optional.empty())).isEqualTo(WITHOUT_SECRET.rowKey());
    assertThat(rowKey(Optional.of(secret()))).isEqualTo(WITH_SECRET.rowKey());
  }

  @Test
  void theRowsOpenByTheFormatsDefinitionAlone() throws Exception {
    assertThat(open(WITHOUT_SECRET, Optional.empty(), formatAndRowKey(WITHOUT_SECRET)))
        .isEqualTo(JSON);
    assertThat(open(WITH_SECRET, Optional.of(secret()), formatAndRowKey(WITH_SECRET)))
        .isEqualTo(JSON);
  }

  @Test
  void theRowKeyIsPartOfTheAssociatedData() {
    byte[] formatOnly = HexFormat.of().parseHex(WITHOUT_SECRET.format());

    assertThatThrownBy(() -> open(WITHOUT_SECRET, Optional.empty(), formatOnly))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(
            () -> open(WITH_SECRET, Optional.of(secret()), formatAndRowKey(WITHOUT_SECRET)))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void sealingComputesTheSameRowKeys() {
    SessionId id = SessionId.parse(ID).orElseThrow();

    assertThat(new Sealing(SessionSecret.none(), Optional.empty()).keys(id).current())
        .isEqualTo(WITHOUT_SECRET.rowKey());
    assertThat(new Sealing(SessionSecret.of(secret()), Optional.empty()).keys(id).current())
        .isEqualTo(WITH_SECRET.rowKey());
  }

  @Test
  void sealingOpensTheRowsWrittenDown() {
    SessionId id = SessionId.parse(ID).orElseThrow();
    Sealing plain = new Sealing(SessionSecret.none(), Optional.empty());
    Sealing keyed = new Sealing(SessionSecret.of(secret()), Optional.empty());

    assertThat(plain.open(plain.keys(id), WITHOUT_SECRET.rowKey(), WITHOUT_SECRET.data()))
        .hasValueSatisfying(json -> assertThat(json).asString().isEqualTo(JSON));
    assertThat(keyed.open(keyed.keys(id), WITH_SECRET.rowKey(), WITH_SECRET.data()))
        .hasValueSatisfying(json -> assertThat(json).asString().isEqualTo(JSON));
  }

  @Test
  void aStoreRotatingAwayFromEitherOpensTheRowsUnderTheirPreviousKeys() {
    SessionId id = SessionId.parse(ID).orElseThrow();
    SessionSecret next =
        SessionSecret.of(
            new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
              17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
            });
    Sealing fromNone = new Sealing(next, Optional.of(SessionSecret.none()));
    Sealing fromSecret = new Sealing(next, Optional.of(SessionSecret.of(secret())));

    assertThat(fromNone.keys(id).previous()).contains(WITHOUT_SECRET.rowKey());
    assertThat(fromNone.open(fromNone.keys(id), WITHOUT_SECRET.rowKey(), WITHOUT_SECRET.data()))
        .isPresent();
    assertThat(fromSecret.keys(id).previous()).contains(WITH_SECRET.rowKey());
    assertThat(fromSecret.open(fromSecret.keys(id), WITH_SECRET.rowKey(), WITH_SECRET.data()))
        .isPresent();
  }

  @Test
  void whatSealingWritesTodayTheFormatsDefinitionOpens() throws Exception {
    SessionId id = SessionId.parse(ID).orElseThrow();
    Sealing keyed = new Sealing(SessionSecret.of(secret()), Optional.empty());
    byte[] sealed = keyed.seal(keyed.keys(id), JSON.getBytes(StandardCharsets.UTF_8));
    String hex = HexFormat.of().formatHex(sealed);
    StoredRow fresh =
        new StoredRow(
            WITH_SECRET.rowKey(),
            hex.substring(0, 2),
            hex.substring(2, 26),
            hex.substring(26, hex.length() - 32),
            hex.substring(hex.length() - 32));

    assertThat(fresh.format()).isEqualTo(WITH_SECRET.format());
    assertThat(fresh.ciphertext()).hasSameSizeAs(WITH_SECRET.ciphertext());
    assertThat(open(fresh, Optional.of(secret()), formatAndRowKey(fresh))).isEqualTo(JSON);
  }
}

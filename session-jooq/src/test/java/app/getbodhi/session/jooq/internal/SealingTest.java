package app.getbodhi.session.jooq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.jooq.testing.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SealingTest {

  // not all zeros: HKDF treats an absent salt as 32 zero bytes, so that secret would key no data
  private static final SessionSecret SECRET =
      SessionSecret.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final byte[] JSON = "{\"user_id\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

  private final Sealing plain = new Sealing(SessionSecret.none(), Optional.empty());
  private final Sealing keyed = new Sealing(SECRET, Optional.empty());

  @Test
  void theRowKeyWithoutASecretIsSha256OverTheLabelAndTheIdBytes() throws Exception {
    SessionId id = SessionId.generate();
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(Sealing.ROW_KEY_LABEL);
    String expected =
        Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest(id.bytes()));

    assertThat(plain.keys(id).current()).isEqualTo(expected);
    assertThat(plain.ref(id)).isEqualTo(new SessionRef(expected));
  }

  @Test
  void theDataKeyIsHkdfSha256OfTheIdWithTheSecretAsSaltAndItsOwnLabel() {
    SessionId id = SessionId.generate();

    assertThat(plain.dataKey(id))
        .isEqualTo(Hkdf.derive(null, id.bytes(), Sealing.DATA_KEY_LABEL, 32))
        .isEqualTo(plain.dataKey(id));
    assertThat(keyed.dataKey(id))
        .isEqualTo(
            Hkdf.derive(SECRET.bytes().orElseThrow(), id.bytes(), Sealing.DATA_KEY_LABEL, 32));
  }

  @Test
  void theRowKeyWithASecretIsHmacSha256KeyedWithItOverTheLabelAndTheIdBytes() throws Exception {
    SessionId id = SessionId.generate();
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.bytes().orElseThrow(), "HmacSHA256"));
    mac.update(Sealing.ROW_KEY_LABEL);
    String expected =
        Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(id.bytes()));

    assertThat(keyed.ref(id).value()).isEqualTo(expected);
    assertThat(keyed.ref(id).value()).as("the keyed MAC is reused, not spent").isEqualTo(expected);
  }

  @Test
  void theRowKeyAndTheDataKeyUseDifferentLabels() {
    assertThat(Sealing.ROW_KEY_LABEL).isNotEqualTo(Sealing.DATA_KEY_LABEL);
  }

  @Test
  void sealedDataOpensWithItsIdAndRowKeyOnly() {
    SessionId id = SessionId.generate();
    Sealing.Keys keys = plain.keys(id);
    byte[] sealed = plain.seal(keys, JSON);

    assertThat(sealed).hasSize(JSON.length + Sealing.OVERHEAD);
    assertThat(sealed[0]).isEqualTo(Sealing.FORMAT_AES_GCM);
    assertThat(plain.open(keys, keys.current(), sealed)).hasValue(JSON);
    Sealing.Keys other = plain.keys(SessionId.generate());
    assertThat(plain.open(other, other.current(), sealed)).as("another id's key").isEmpty();
    assertThat(plain.open(keys, other.current(), sealed)).as("another row key").isEmpty();
  }

  @Test
  void theSecretChangesBothTheRowKeyAndTheDataKey() {
    SessionId id = SessionId.generate();
    Sealing.Keys keyedKeys = keyed.keys(id);
    byte[] sealed = keyed.seal(keyedKeys, JSON);

    assertThat(keyedKeys.current()).isNotEqualTo(plain.keys(id).current());
    // even told the right row key, a store without the secret cannot open the data
    Sealing.Keys forged = new Sealing.Keys(id, id.bytes(), keyedKeys.current(), Optional.empty());
    assertThat(plain.open(forged, keyedKeys.current(), sealed)).isEmpty();
    assertThat(keyed.open(keyedKeys, keyedKeys.current(), sealed)).hasValue(JSON);
  }

  @Test
  void aPreviousSecretOpensWhatItSealedUnderItsOwnRowKey() {
    SessionId id = SessionId.generate();
    Sealing.Keys oldKeys = keyed.keys(id);
    byte[] sealed = keyed.seal(oldKeys, JSON);
    Sealing rotated = new Sealing(SessionSecret.none(), Optional.of(SECRET));
    Sealing.Keys keys = rotated.keys(id);

    assertThat(keys.previous()).contains(oldKeys.current());
    assertThat(rotated.open(keys, oldKeys.current(), sealed)).hasValue(JSON);
    assertThat(rotated.open(keys, keys.current(), sealed)).isEmpty();
  }

  @Test
  void twoSealsOfTheSameDataDiffer() {
    Sealing.Keys keys = plain.keys(SessionId.generate());

    assertThat(plain.seal(keys, JSON)).isNotEqualTo(plain.seal(keys, JSON));
  }

  @Test
  void toStringNamesNeitherTheSecretNorTheId() {
    SessionId id = SessionId.generate();
    Sealing rotating = new Sealing(SECRET, Optional.of(SessionSecret.none()));

    assertThat(rotating.toString()).contains("***").doesNotContain("0123456789abcdef");
    assertThat(rotating.keys(id).toString()).doesNotContain(id.value());
  }
}

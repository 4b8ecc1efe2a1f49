package app.getbodhi.session;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The optional server secret that enters the derivation of every row key and data key (see "Sealed
 * storage" in the README): with it, someone who can write to the session table but does not hold
 * the secret cannot plant a session whose id they know. {@link #none()} stands for "no secret": row
 * keys are then a plain SHA-256 of the id.
 *
 * <p>Immutable. {@link #toString()} never shows the value; equality runs in constant time.
 */
public final class SessionSecret {

  /**
   * The length a secret should have: 32 bytes, the HMAC-SHA256 block's worth of strength. A shorter
   * one still works and is warned about at start-up.
   */
  public static final int RECOMMENDED_BYTES = 32;

  /**
   * How to make a secret and hand it over, worded to follow "to set one,": for every message that
   * asks for a secret, so that they all give the same advice.
   */
  public static final String HOW_TO_MAKE_ONE =
      "make one with `openssl rand -base64 32 > FILE` and point "
          + SettingService.BODHI_SESSION_SECRET_FILE
          + " at the file (or set "
          + SettingService.BODHI_SESSION_SECRET
          + " to the value)";

  private static final SessionSecret NONE = new SessionSecret(new byte[0]);

  private final byte[] key;

  private SessionSecret(byte[] key) {
    this.key = key;
  }

  /**
   * Returns "no secret".
   *
   * @return the absent secret
   */
  public static SessionSecret none() {
    return NONE;
  }

  /**
   * Wraps secret bytes.
   *
   * @param bytes the secret, at least one byte; copied
   * @return the secret
   * @throws SessionServiceException of kind CONFIGURATION when {@code bytes} is empty
   */
  public static SessionSecret of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "A session secret cannot be empty; use SessionSecret.none() for no secret.");
    }
    return new SessionSecret(bytes.clone());
  }

  /**
   * Parses a secret from a setting: standard or URL-safe base64, padded or not.
   *
   * @param setting the setting's name, for the message
   * @param base64 the value
   * @return the secret
   * @throws SessionServiceException of kind CONFIGURATION naming the setting, never the value, when
   *     it is not base64 or is empty
   */
  public static SessionSecret parse(String setting, String base64) {
    byte[] bytes;
    try {
      // the basic decoder refuses anything outside the alphabet and takes padding or none
      bytes = Base64.getDecoder().decode(base64.trim().replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    if (bytes.length == 0) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          setting
              + " must be base64 of at least "
              + RECOMMENDED_BYTES
              + " random bytes (for example the output of `openssl rand -base64 32`); the value"
              + " set is not base64.");
    }
    return new SessionSecret(bytes);
  }

  /**
   * Tells whether this is {@link #none()}.
   *
   * @return whether there is no secret
   */
  public boolean isNone() {
    return key.length == 0;
  }

  /**
   * Tells whether a secret is set but shorter than {@link #RECOMMENDED_BYTES}.
   *
   * @return whether the secret is weaker than recommended
   */
  public boolean isShort() {
    return key.length > 0 && key.length < RECOMMENDED_BYTES;
  }

  /**
   * Returns the secret's bytes.
   *
   * @return a copy of the bytes, or empty for {@link #none()}
   */
  public Optional<byte[]> bytes() {
    return isNone() ? Optional.empty() : Optional.of(key.clone());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SessionSecret that && MessageDigest.isEqual(key, that.key);
  }

  @Override
  public int hashCode() {
    // the length alone: a hash of the bytes would leak a little of the secret to whoever sees it
    return key.length;
  }

  /** Says whether a secret is set, never what it is. */
  @Override
  public String toString() {
    return isNone() ? "SessionSecret[none]" : "SessionSecret[***]";
  }
}

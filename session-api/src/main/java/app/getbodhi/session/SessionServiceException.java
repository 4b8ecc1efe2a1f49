package app.getbodhi.session;

import java.util.Objects;

/**
 * The one error type of bodhi-sessions. Every failure a caller can meet (bad configuration, an
 * unsupported URL, a database that cannot be reached, a failed migration, data that is not JSON)
 * surfaces as this exception, with a {@link Kind} to branch on and a message that says what was
 * wrong and what to do.
 *
 * <p>Messages never contain a password or a whole session id: database URLs are redacted with
 * {@link app.getbodhi.session.spi.DatabaseUrls#redact(String)} and session ids are shown only in
 * their shortened {@link SessionId#toString()} form. The cause, when there is one, is the driver's
 * exception and is kept for diagnosis.
 */
public class SessionServiceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of failure this is. */
  public enum Kind {
    /** A setting is missing, malformed or inconsistent with another setting. */
    CONFIGURATION,
    /** No backend on the classpath accepts the URL's scheme. */
    UNSUPPORTED_URL,
    /** The database failed or could not be reached while running a statement. */
    DATABASE,
    /** The schema could not be created or upgraded. */
    MIGRATION,
    /** Session data could not be converted to or from JSON, or breaks a size or depth limit. */
    SERIALIZATION
  }

  private final Kind kind;

  /**
   * Creates an exception without a cause.
   *
   * @param kind what kind of failure this is
   * @param message what was wrong and what to do; must not contain secrets
   */
  public SessionServiceException(Kind kind, String message) {
    this(kind, message, null);
  }

  /**
   * Creates an exception that wraps a lower-level cause.
   *
   * @param kind what kind of failure this is
   * @param message what was wrong and what to do; must not contain secrets
   * @param cause the underlying exception, or {@code null}
   */
  public SessionServiceException(Kind kind, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * Returns what kind of failure this is.
   *
   * @return the kind, never {@code null}
   */
  public Kind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return getClass().getName() + "[" + kind + "]: " + getMessage();
  }
}

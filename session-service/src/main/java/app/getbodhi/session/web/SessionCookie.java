package app.getbodhi.session.web;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A session cookie to send: the layer's attributes plus a value and a lifetime. Its {@link
 * #toString()} hides the value, which is a session id.
 *
 * @param layer the layer whose name, path, domain and flags the cookie carries
 * @param value the cookie value: a session id, or empty to remove the cookie
 * @param maxAge the Max-Age to send, or empty for a browser-session cookie
 */
public record SessionCookie(SessionManagerLayer layer, String value, Optional<Duration> maxAge) {

  /** Checks that no component is null. */
  public SessionCookie {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(maxAge, "maxAge");
  }

  /**
   * A cookie that carries a session id with the layer's lifetime.
   *
   * @param layer the layer
   * @param sessionId the id's text
   * @return the cookie
   */
  public static SessionCookie of(SessionManagerLayer layer, String sessionId) {
    return new SessionCookie(layer, sessionId, layer.maxAge());
  }

  /**
   * A cookie that tells the browser to drop the session cookie: same name, path, domain and flags,
   * empty value, {@code Max-Age=0}.
   *
   * @param layer the layer
   * @return the cookie
   */
  public static SessionCookie expired(SessionManagerLayer layer) {
    return new SessionCookie(layer, "", Optional.of(Duration.ZERO));
  }

  /**
   * Renders the value of a {@code Set-Cookie} header.
   *
   * @return for example {@code bodhiapp_session_id=...; Path=/; HttpOnly; SameSite=Strict}
   */
  public String toHeaderValue() {
    StringBuilder header = new StringBuilder(96);
    header.append(layer.cookieName()).append('=').append(value);
    maxAge.ifPresent(age -> header.append("; Max-Age=").append(age.toSeconds()));
    header.append("; Path=").append(layer.path());
    layer.domain().ifPresent(domain -> header.append("; Domain=").append(domain));
    if (layer.secure() || layer.sameSite() == SessionManagerLayer.SameSite.NONE) {
      // browsers drop SameSite=None cookies that are not Secure
      header.append("; Secure");
    }
    if (layer.httpOnly()) {
      header.append("; HttpOnly");
    }
    header.append("; SameSite=").append(layer.sameSite().attributeValue());
    return header.toString();
  }

  /** Shows the attributes; the value is a session id, so it is hidden. */
  @Override
  public String toString() {
    return "SessionCookie[" + layer.cookieName() + "=" + (value.isEmpty() ? "" : "***") + "]";
  }
}

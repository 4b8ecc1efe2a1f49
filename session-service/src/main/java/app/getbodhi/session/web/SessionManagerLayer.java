package app.getbodhi.session.web;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionStore;
import app.getbodhi.session.SettingService;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a session layer needs to run in front of an application: the store and the cookie's
 * settings. Immutable; derive variants with {@link #toBuilder()}.
 *
 * <p>Defaults: cookie name {@value #DEFAULT_COOKIE_NAME}, {@code SameSite=Strict}, {@code
 * HttpOnly}, not {@code Secure} (set it whenever the application is served over HTTPS), path {@code
 * /}, no domain, a browser-session cookie (no {@code Max-Age}), and a stored session that expires
 * {@link #DEFAULT_EXPIRY 14 days} after its last save, and no {@link CrossOriginProtection} (turn
 * it on with {@link Builder#crossOriginProtection}).
 */
public final class SessionManagerLayer {

  /** The cookie name unless configured. */
  public static final String DEFAULT_COOKIE_NAME = "bodhiapp_session_id";

  /** How long a stored session lives after its last save, unless configured. */
  public static final Duration DEFAULT_EXPIRY = SettingService.DEFAULT_SESSION_LIFETIME;

  /** The cookie's {@code SameSite} attribute. */
  public enum SameSite {
    /** Sent only on same-site requests: the strongest protection against CSRF. */
    STRICT,
    /** Also sent on top-level navigations from other sites. */
    LAX,
    /** Sent on every request; browsers require {@code Secure} with it. */
    NONE;

    /**
     * Returns the attribute value as written in a {@code Set-Cookie} header.
     *
     * @return {@code Strict}, {@code Lax} or {@code None}
     */
    public String attributeValue() {
      return switch (this) {
        case STRICT -> "Strict";
        case LAX -> "Lax";
        case NONE -> "None";
      };
    }
  }

  /**
   * The settings, kept as a builder that only this layer holds: copied in from the builder that
   * built it, copied out by {@link #toBuilder()}, and never changed, so the layer is immutable
   * while the list of settings is written once, in {@link Builder}. Reached through a final field,
   * its values are seen by every thread that sees the layer.
   */
  private final Builder settings;

  private SessionManagerLayer(Builder builder) {
    this.settings = new Builder(builder);
  }

  /**
   * Starts a layer over a store, with the defaults.
   *
   * @param store where sessions live
   * @return a builder
   */
  public static Builder builder(SessionStore store) {
    return new Builder(store);
  }

  /**
   * Returns a layer over a store with every default.
   *
   * @param store where sessions live
   * @return the layer
   */
  public static SessionManagerLayer of(SessionStore store) {
    return builder(store).build();
  }

  /**
   * Returns a builder holding this layer's settings.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /**
   * @return the store sessions are kept in
   */
  public SessionStore store() {
    return settings.store;
  }

  /**
   * @return the cookie's name
   */
  public String cookieName() {
    return settings.cookieName;
  }

  /**
   * @return the cookie's SameSite attribute
   */
  public SameSite sameSite() {
    return settings.sameSite;
  }

  /**
   * @return whether the cookie is hidden from scripts
   */
  public boolean httpOnly() {
    return settings.httpOnly;
  }

  /**
   * @return whether the cookie is sent over HTTPS only
   */
  public boolean secure() {
    return settings.secure;
  }

  /**
   * @return the cookie's path
   */
  public String path() {
    return settings.path;
  }

  /**
   * @return the cookie's domain, or empty for the host that set it
   */
  public Optional<String> domain() {
    return Optional.ofNullable(settings.domain);
  }

  /**
   * @return the cookie's Max-Age, or empty for a browser-session cookie
   */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(settings.maxAge);
  }

  /**
   * @return how long a stored session lives after its last save
   */
  public Duration expiry() {
    return settings.expiry;
  }

  /**
   * @return the clock that stamps expiry dates; the system UTC clock unless configured
   */
  public Clock clock() {
    return settings.clock;
  }

  /**
   * @return the protection that refuses cross-origin requests with unsafe methods before they reach
   *     the session or the application, or empty when it is off (the default)
   */
  public Optional<CrossOriginProtection> crossOriginProtection() {
    return Optional.ofNullable(settings.crossOriginProtection);
  }

  @Override
  public String toString() {
    return "SessionManagerLayer[cookieName="
        + settings.cookieName
        + ", sameSite="
        + settings.sameSite
        + ", httpOnly="
        + settings.httpOnly
        + ", secure="
        + settings.secure
        + ", path="
        + settings.path
        + ", domain="
        + settings.domain
        + ", maxAge="
        + settings.maxAge
        + ", expiry="
        + settings.expiry
        + ", crossOriginProtection="
        + (settings.crossOriginProtection == null ? "off" : settings.crossOriginProtection)
        + "]";
  }

  /** Builds a {@link SessionManagerLayer}; every setter validates its value at once. */
  public static final class Builder {
    private final SessionStore store;
    private String cookieName = DEFAULT_COOKIE_NAME;
    private SameSite sameSite = SameSite.STRICT;
    private boolean httpOnly = true;
    private boolean secure = false;
    private String path = "/";
    private String domain;
    private Duration maxAge;
    private Duration expiry = DEFAULT_EXPIRY;
    private Clock clock = Clock.systemUTC();
    private CrossOriginProtection crossOriginProtection;

    private Builder(SessionStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** A copy: the one place that lists every setting. */
    private Builder(Builder other) {
      this.store = other.store;
      this.cookieName = other.cookieName;
      this.sameSite = other.sameSite;
      this.httpOnly = other.httpOnly;
      this.secure = other.secure;
      this.path = other.path;
      this.domain = other.domain;
      this.maxAge = other.maxAge;
      this.expiry = other.expiry;
      this.clock = other.clock;
      this.crossOriginProtection = other.crossOriginProtection;
    }

    /**
     * @param cookieName a cookie name: RFC 6265 token characters only
     * @return this builder
     */
    public Builder cookieName(String cookieName) {
      if (cookieName == null || cookieName.isEmpty() || !isToken(cookieName)) {
        throw invalid(
            "cookieName", "a non-empty RFC 6265 token (letters, digits, !#$%&'*+-.^_`|~)");
      }
      this.cookieName = cookieName;
      return this;
    }

    /**
     * @param sameSite the SameSite attribute
     * @return this builder
     */
    public Builder sameSite(SameSite sameSite) {
      this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
      return this;
    }

    /**
     * @param httpOnly whether scripts are denied the cookie
     * @return this builder
     */
    public Builder httpOnly(boolean httpOnly) {
      this.httpOnly = httpOnly;
      return this;
    }

    /**
     * @param secure whether the cookie goes over HTTPS only
     * @return this builder
     */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /**
     * @param path the cookie path, starting with {@code /}
     * @return this builder
     */
    public Builder path(String path) {
      if (path == null || !path.startsWith("/") || !isAttributeValue(path)) {
        throw invalid("path", "a path starting with '/' without ';', control characters or blanks");
      }
      this.path = path;
      return this;
    }

    /**
     * @param domain the cookie domain, or {@code null} for the host that set it
     * @return this builder
     */
    public Builder domain(String domain) {
      if (domain != null && (domain.isEmpty() || !isAttributeValue(domain))) {
        throw invalid("domain", "a host name without ';', control characters or blanks, or null");
      }
      this.domain = domain;
      return this;
    }

    /**
     * @param maxAge the cookie's lifetime (an inactivity timeout), or {@code null} for a
     *     browser-session cookie
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
        throw invalid("maxAge", "a positive duration, or null for a browser-session cookie");
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * @param expiry how long a stored session lives after its last save; positive
     * @return this builder
     */
    public Builder expiry(Duration expiry) {
      if (expiry == null || expiry.isNegative() || expiry.isZero()) {
        throw invalid("expiry", "a positive duration");
      }
      this.expiry = expiry;
      return this;
    }

    /**
     * @param clock the clock that stamps expiry dates; tests pass a controllable one
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param protection the protection to apply to every request before the session is touched,
     *     such as {@link CrossOriginProtection#enabled()}; {@code null} turns it off
     * @return this builder
     */
    public Builder crossOriginProtection(CrossOriginProtection protection) {
      this.crossOriginProtection = protection;
      return this;
    }

    /**
     * @return the layer
     */
    public SessionManagerLayer build() {
      return new SessionManagerLayer(this);
    }

    private static SessionServiceException invalid(String setting, String expected) {
      return new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "SessionManagerLayer." + setting + " must be " + expected + ".");
    }

    private static boolean isToken(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    private static boolean isAttributeValue(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c <= ' ' || c >= 0x7f || c == ';' || c == ',') {
          return false;
        }
      }
      return true;
    }
  }
}

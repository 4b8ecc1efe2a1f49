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
 * /}, no domain, a browser-session cookie (no {@code Max-Age}), an idle timeout of {@link
 * #DEFAULT_EXPIRY 14 days}, an access granularity of {@link #DEFAULT_ACCESS_GRANULARITY 5 minutes},
 * and no {@link CrossOriginProtection} (turn it on with {@link Builder#crossOriginProtection}).
 *
 * <h2>Idle timeout and access granularity</h2>
 *
 * A session with timeout {@code T} lives at least {@code T} after its last request and at most
 * {@code T + g}, where {@code g} is the session's access granularity, {@link #granularityFor}: the
 * smaller of {@link #accessGranularity()} and a tenth of {@code T}. A request that only reads the
 * session writes nothing unless the last write is older than {@code g}; each write stores the
 * expiry {@code access + T + g}. So reading stays one {@code SELECT}, and a session's last access
 * time is precise to within {@code g}. A Max-Age cookie carries the same slack, so it lasts at
 * least its Max-Age after the last request as well.
 */
public final class SessionManagerLayer {

  /** The cookie name unless configured. */
  public static final String DEFAULT_COOKIE_NAME = "bodhiapp_session_id";

  /** How long a session lives after its last request (its idle timeout), unless configured. */
  public static final Duration DEFAULT_EXPIRY = SettingService.DEFAULT_SESSION_LIFETIME;

  /** The largest access granularity unless configured: 5 minutes. */
  public static final Duration DEFAULT_ACCESS_GRANULARITY =
      SettingService.DEFAULT_ACCESS_GRANULARITY;

  /** The coarsest access granularity accepted: 1 hour. */
  public static final Duration MAX_ACCESS_GRANULARITY = SettingService.MAX_ACCESS_GRANULARITY;

  /**
   * A session's access granularity is at most its timeout divided by this: a tenth, so that the
   * slack never adds more than 10% to a timeout.
   */
  public static final int GRANULARITY_DIVISOR = 10;

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
   * @return the idle timeout of a session that sets none of its own: it lives at least this long
   *     after its last request, at most {@link #granularityFor} longer
   */
  public Duration expiry() {
    return settings.expiry;
  }

  /**
   * @return the largest access granularity a session gets (see the class comment); zero: every
   *     request that reads a session writes its access time
   */
  public Duration accessGranularity() {
    return settings.accessGranularity;
  }

  /**
   * Returns the access granularity of a session with this timeout: the smaller of {@link
   * #accessGranularity()} and a tenth of the timeout. It is the precision of the session's last
   * access time, and how much longer than its timeout the session may live.
   *
   * @param timeout the session's idle timeout; zero or less (never times out) counts as the longest
   *     timeout
   * @return the granularity, zero or more
   */
  public Duration granularityFor(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      return settings.accessGranularity;
    }
    Duration tenth = timeout.dividedBy(GRANULARITY_DIVISOR);
    return tenth.compareTo(settings.accessGranularity) < 0 ? tenth : settings.accessGranularity;
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
        + ", accessGranularity="
        + settings.accessGranularity
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
    private Duration accessGranularity = DEFAULT_ACCESS_GRANULARITY;
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
      this.accessGranularity = other.accessGranularity;
      this.clock = other.clock;
      this.crossOriginProtection = other.crossOriginProtection;
    }

    /**
     * @param cookieName a cookie name: RFC 6265 token characters only
     * @return this builder
     */
    public Builder cookieName(String cookieName) {
      this.cookieName =
          checked(
              "cookieName",
              cookieName,
              cookieName != null && !cookieName.isEmpty() && isToken(cookieName),
              "a non-empty RFC 6265 token (letters, digits, !#$%&'*+-.^_`|~)");
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
      this.path =
          checked(
              "path",
              path,
              path != null && path.startsWith("/") && isAttributeValue(path),
              "a path starting with '/' without ';', control characters or blanks");
      return this;
    }

    /**
     * @param domain the cookie domain, or {@code null} for the host that set it
     * @return this builder
     */
    public Builder domain(String domain) {
      this.domain =
          checked(
              "domain",
              domain,
              domain == null || (!domain.isEmpty() && isAttributeValue(domain)),
              "a host name without ';', control characters or blanks, or null");
      return this;
    }

    /**
     * @param maxAge the cookie's lifetime (an inactivity timeout), or {@code null} for a
     *     browser-session cookie
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge =
          checked(
              "maxAge",
              maxAge,
              maxAge == null || maxAge.compareTo(Duration.ZERO) > 0,
              "a positive duration, or null for a browser-session cookie");
      return this;
    }

    /**
     * @param expiry the idle timeout of a session that sets none of its own; positive
     * @return this builder
     */
    public Builder expiry(Duration expiry) {
      this.expiry =
          checked(
              "expiry",
              expiry,
              expiry != null && expiry.compareTo(Duration.ZERO) > 0,
              "a positive duration");
      return this;
    }

    /**
     * @param granularity the largest access granularity (see the class comment), from zero (every
     *     read writes the access time) to {@link #MAX_ACCESS_GRANULARITY}
     * @return this builder
     */
    public Builder accessGranularity(Duration granularity) {
      this.accessGranularity =
          checked(
              "accessGranularity",
              granularity,
              granularity != null
                  && !granularity.isNegative()
                  && granularity.compareTo(MAX_ACCESS_GRANULARITY) <= 0,
              "a duration between 0 and 1 hour");
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

    /**
     * Checks one setting as it is set, the way HikariCP checks its own: returns the value when it
     * is valid, else fails naming the setting and what it must be.
     */
    private static <T> T checked(String setting, T value, boolean valid, String expected) {
      if (!valid) {
        throw new SessionServiceException(
            SessionServiceException.Kind.CONFIGURATION,
            "SessionManagerLayer." + setting + " must be " + expected + ".");
      }
      return value;
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

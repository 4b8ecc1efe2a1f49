package app.getbodhi.session.web;

import app.getbodhi.session.SessionServiceException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Refuses cross-origin browser requests that could change state: the header-based defence against
 * cross-site request forgery of Go 1.25's {@code net/http.CrossOriginProtection}, without tokens.
 * Immutable and thread-safe; framework-neutral: a session layer (or any filter) passes it four
 * request values and acts on the {@link Decision}.
 *
 * <p>How a request is judged, in order:
 *
 * <ol>
 *   <li>{@code GET}, {@code HEAD} and {@code OPTIONS} are safe methods and always pass; an
 *       application must not change state on them.
 *   <li>{@code Sec-Fetch-Site: same-origin} or {@code none} (the user typed the address or used a
 *       bookmark) passes. Every browser sends this header since 2023.
 *   <li>Any other {@code Sec-Fetch-Site} ({@code cross-site}, {@code same-site}, or a value this
 *       class does not know) is refused, unless the request's {@code Origin} is a trusted origin.
 *       {@code same-site} is refused too: a sibling subdomain, or another port of the same host, is
 *       another application.
 *   <li>Without {@code Sec-Fetch-Site} (an older browser), an {@code Origin} whose host and port
 *       equal the request's {@code Host} passes; any other {@code Origin}, {@code null} included,
 *       is refused unless trusted.
 *   <li>A request with neither header passes: it is not from a browser (curl, another server), or
 *       from a browser old enough to send neither, which cannot be told from same-origin.
 * </ol>
 *
 * <p>Trusted origins are exact {@code scheme://host[:port]} values, as browsers send them in {@code
 * Origin}: for a single sign-on page or a partner site that posts forms here. Like Go's, the
 * fallback compares the {@code Origin}'s host with the {@code Host} header, which has no scheme, so
 * an {@code http://} page of the same host passes; HSTS closes that gap.
 *
 * <pre>{@code
 * SessionManagerLayer layer =
 *     SessionManagerLayer.builder(store)
 *         .crossOriginProtection(
 *             CrossOriginProtection.enabled().withTrustedOrigin("https://sso.example.com"))
 *         .build();
 * }</pre>
 */
public final class CrossOriginProtection {

  /** The request header browsers use to say where a request comes from, relative to its target. */
  public static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

  /** The request header that names the origin of the page that sent the request. */
  public static final String ORIGIN = "Origin";

  /** What the protection says about one request. */
  public enum Decision {
    /** A safe method (GET, HEAD, OPTIONS): never refused. */
    ALLOWED_SAFE_METHOD(true),
    /** {@code Sec-Fetch-Site} says the request comes from this origin or from the user. */
    ALLOWED_SAME_ORIGIN(true),
    /** No {@code Sec-Fetch-Site}, and the {@code Origin} matches the {@code Host}. */
    ALLOWED_ORIGIN_MATCHES_HOST(true),
    /** Neither header: not a browser, or a browser too old to say. */
    ALLOWED_NO_BROWSER_HEADERS(true),
    /** From another origin that is on the trusted list. */
    ALLOWED_TRUSTED_ORIGIN(true),
    /** {@code Sec-Fetch-Site} says the request comes from another origin. */
    REFUSED_CROSS_ORIGIN(false),
    /** No {@code Sec-Fetch-Site}, and the {@code Origin} is not the {@code Host}. */
    REFUSED_ORIGIN_MISMATCH(false);

    private final boolean allowed;

    Decision(boolean allowed) {
      this.allowed = allowed;
    }

    /**
     * Returns whether the request may go on.
     *
     * @return true to serve it, false to refuse it (with 403 Forbidden)
     */
    public boolean allowed() {
      return allowed;
    }
  }

  private static final int MAX_PORT = 65_535;

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private static final CrossOriginProtection ENABLED = new CrossOriginProtection(Set.of());

  private final Set<String> trustedOrigins;

  private CrossOriginProtection(Set<String> trustedOrigins) {
    this.trustedOrigins = trustedOrigins;
  }

  /**
   * Returns the protection with no trusted origin: only same-origin browser requests, and requests
   * that are not from a browser, may use unsafe methods.
   *
   * @return the protection
   */
  public static CrossOriginProtection enabled() {
    return ENABLED;
  }

  /**
   * Returns a copy that also lets requests from an origin through.
   *
   * @param origin exactly {@code scheme://host} or {@code scheme://host:port}, as a browser sends
   *     it in {@code Origin}: no path (not even {@code /}), query, fragment or user
   * @return the protection with that origin trusted
   * @throws SessionServiceException of kind CONFIGURATION naming the setting when the origin is not
   *     of that form
   */
  public CrossOriginProtection withTrustedOrigin(String origin) {
    Set<String> more = new LinkedHashSet<>(trustedOrigins);
    more.add(validOrigin(origin));
    return new CrossOriginProtection(Set.copyOf(more));
  }

  /**
   * Returns a copy that also lets requests from these origins through; see {@link
   * #withTrustedOrigin(String)}.
   *
   * @param origins the origins
   * @return the protection with those origins trusted
   * @throws SessionServiceException of kind CONFIGURATION naming the first origin that is not of
   *     the form {@code scheme://host[:port]}
   */
  public CrossOriginProtection withTrustedOrigins(Collection<String> origins) {
    CrossOriginProtection result = this;
    for (String origin : Objects.requireNonNull(origins, "origins")) {
      result = result.withTrustedOrigin(origin);
    }
    return result;
  }

  /**
   * Returns the origins whose requests pass whatever their headers say.
   *
   * @return the trusted origins, lower-case
   */
  public Set<String> trustedOrigins() {
    return trustedOrigins;
  }

  /**
   * Judges one request.
   *
   * @param method the request method, such as {@code POST}
   * @param secFetchSite the {@code Sec-Fetch-Site} header, or {@code null} when absent
   * @param origin the {@code Origin} header, or {@code null} when absent
   * @param host the {@code Host} header ({@code host} or {@code host:port}), or {@code null} when
   *     the request has none
   * @return the decision; refuse the request when it is not {@link Decision#allowed()}
   */
  public Decision check(String method, String secFetchSite, String origin, String host) {
    Objects.requireNonNull(method, "method");
    if (SAFE_METHODS.contains(method)) {
      return Decision.ALLOWED_SAFE_METHOD;
    }
    String site = blankToNull(secFetchSite);
    String from = blankToNull(origin);
    if (site != null) {
      String value = site.toLowerCase(Locale.ROOT);
      if (value.equals("same-origin") || value.equals("none")) {
        return Decision.ALLOWED_SAME_ORIGIN;
      }
      return trusted(from) ? Decision.ALLOWED_TRUSTED_ORIGIN : Decision.REFUSED_CROSS_ORIGIN;
    }
    if (from == null) {
      return Decision.ALLOWED_NO_BROWSER_HEADERS;
    }
    if (originMatchesHost(from, blankToNull(host))) {
      return Decision.ALLOWED_ORIGIN_MATCHES_HOST;
    }
    return trusted(from) ? Decision.ALLOWED_TRUSTED_ORIGIN : Decision.REFUSED_ORIGIN_MISMATCH;
  }

  private boolean trusted(String origin) {
    // scheme and host are case-insensitive; browsers send them in lower case anyway
    return origin != null && trustedOrigins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /**
   * Compares the authority of {@code Origin} with {@code Host}, ignoring case and an explicit
   * default port of the origin's scheme ({@code :80} for http, {@code :443} for https) on either.
   */
  private static boolean originMatchesHost(String origin, String host) {
    if (host == null) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme();
    String authority = uri.getRawAuthority();
    if (scheme == null || authority == null || uri.getRawUserInfo() != null) {
      // "null" (an opaque origin: a sandboxed frame, a file page) lands here, and is refused
      return false;
    }
    String defaultPort = defaultPort(scheme.toLowerCase(Locale.ROOT));
    return withoutDefaultPort(authority, defaultPort).equals(withoutDefaultPort(host, defaultPort));
  }

  private static String defaultPort(String scheme) {
    return switch (scheme) {
      case "http", "ws" -> ":80";
      case "https", "wss" -> ":443";
      default -> null;
    };
  }

  private static String withoutDefaultPort(String authority, String defaultPort) {
    String lower = authority.toLowerCase(Locale.ROOT);
    return defaultPort != null && lower.endsWith(defaultPort)
        ? lower.substring(0, lower.length() - defaultPort.length())
        : lower;
  }

  private static String validOrigin(String origin) {
    if (origin == null || origin.isBlank()) {
      throw invalidOrigin(origin, "it is empty");
    }
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      throw invalidOrigin(origin, "it is not a URL");
    }
    if (uri.getScheme() == null || !uri.isAbsolute() || uri.isOpaque()) {
      throw invalidOrigin(origin, "it has no scheme://");
    }
    if (uri.getHost() == null) {
      throw invalidOrigin(origin, "it has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw invalidOrigin(origin, "it has a user name, which an origin never has");
    }
    if (uri.getPort() > MAX_PORT) {
      throw invalidOrigin(origin, "its port is above " + MAX_PORT);
    }
    if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalidOrigin(origin, "it has a path, query or fragment (even a trailing /)");
    }
    return origin.toLowerCase(Locale.ROOT);
  }

  private static SessionServiceException invalidOrigin(String origin, String why) {
    String shown =
        origin == null ? "null" : origin.length() <= 80 ? origin : origin.substring(0, 80) + "…";
    return new SessionServiceException(
        SessionServiceException.Kind.CONFIGURATION,
        "CrossOriginProtection.trustedOrigins must hold origins of the form scheme://host[:port],"
            + " such as https://sso.example.com, but '"
            + shown
            + "' is not one: "
            + why
            + ".");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CrossOriginProtection that
        && trustedOrigins.equals(that.trustedOrigins);
  }

  @Override
  public int hashCode() {
    return trustedOrigins.hashCode();
  }

  @Override
  public String toString() {
    return "CrossOriginProtection[trustedOrigins=" + trustedOrigins + "]";
  }
}

package app.getbodhi.session.spi;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Helpers for database URLs that may hold a password. Every message or log line that shows a URL
 * passes it through {@link #redact(String)} first.
 */
public final class DatabaseUrls {

  /** What replaces a password. */
  public static final String MASK = "***";

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)([?&;](?:password|sslpassword|pass|pwd)=)[^&;#]*");

  private DatabaseUrls() {}

  /**
   * Returns the URL's scheme in lower case: {@code postgres} for {@code postgres://...}, {@code
   * jdbc:sqlite} for {@code jdbc:sqlite:...}.
   *
   * @param url a URL; may be malformed or {@code null}
   * @return the scheme, or empty when the URL has none
   */
  public static Optional<String> scheme(String url) {
    if (url == null) {
      return Optional.empty();
    }
    String trimmed = url.trim();
    int colon = trimmed.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String scheme = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
    if (scheme.equals("jdbc")) {
      int second = trimmed.indexOf(':', colon + 1);
      if (second > colon + 1) {
        scheme = trimmed.substring(0, second).toLowerCase(Locale.ROOT);
      }
    }
    return scheme.matches("[a-z][a-z0-9+.\\-]*(:[a-z][a-z0-9+.\\-]*)?")
        ? Optional.of(scheme)
        : Optional.empty();
  }

  /**
   * Hides the password in a URL: {@code postgres://bodhi:secret@host/db} becomes {@code
   * postgres://bodhi:***@host/db}, and a {@code password=} query parameter becomes {@code
   * password=***}. It errs towards hiding too much on a malformed URL: everything between the first
   * {@code :} of the user part and the last {@code @} is hidden.
   *
   * @param url a URL; may be malformed or {@code null}
   * @return the URL without its password
   */
  public static String redact(String url) {
    if (url == null) {
      return "null";
    }
    String result = PASSWORD_PARAM.matcher(url).replaceAll("$1" + MASK);
    int slashes = result.indexOf("://");
    int start = slashes >= 0 ? slashes + 3 : result.indexOf(':') + 1;
    int at = result.lastIndexOf('@');
    if (at > start) {
      int colon = result.indexOf(':', start);
      if (colon >= 0 && colon < at) {
        result = result.substring(0, colon + 1) + MASK + result.substring(at);
      }
    }
    return result;
  }
}

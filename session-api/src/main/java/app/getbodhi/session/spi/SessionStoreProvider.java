package app.getbodhi.session.spi;

import app.getbodhi.session.ManagedSessionStore;
import java.util.List;
import java.util.Locale;

/**
 * A session store backend, found with {@link java.util.ServiceLoader}: each backend module lists
 * its provider in {@code META-INF/services/app.getbodhi.session.spi.SessionStoreProvider}.
 *
 * <p>{@code SessionStoreBackend.connect(url)} asks every provider on the classpath whether it
 * {@link #supports(String) supports} the URL; exactly one must. Implementations are stateless and
 * thread-safe, with a public no-argument constructor.
 */
public interface SessionStoreProvider {

  /**
   * Names the backend, as {@link ManagedSessionStore#backendName()} does.
   *
   * @return a short lower-case name such as {@code sqlite} or {@code postgres}
   */
  String name();

  /**
   * Lists the URL prefixes this backend accepts, such as {@code sqlite:} or {@code postgres://},
   * for error messages and documentation.
   *
   * @return the prefixes, lower case
   */
  List<String> urlPrefixes();

  /**
   * Tells whether this backend handles a URL. The default matches {@link #urlPrefixes()} without
   * regard to case; it only looks at the prefix and never fails.
   *
   * @param url a database URL; may be malformed
   * @return whether {@link #open} should be called with it
   */
  default boolean supports(String url) {
    if (url == null) {
      return false;
    }
    String lower = url.trim().toLowerCase(Locale.ROOT);
    return urlPrefixes().stream().anyMatch(lower::startsWith);
  }

  /**
   * Opens a store over its own connection pool. The schema is not migrated; call {@link
   * ManagedSessionStore#migrate()}.
   *
   * @param url a URL that {@link #supports(String)} accepted
   * @param config pool, timeout and clock settings
   * @return the store; closing it closes the pool
   * @throws app.getbodhi.session.SessionServiceException of kind CONFIGURATION when the URL is
   *     malformed, DATABASE when the database cannot be opened
   */
  ManagedSessionStore open(String url, SessionStoreConfig config);

  /**
   * Names the Maven artifact that holds this provider, for messages that tell a user what to add.
   *
   * @return {@code groupId:artifactId}
   */
  default String artifact() {
    return "app.getbodhi:session-" + name();
  }
}

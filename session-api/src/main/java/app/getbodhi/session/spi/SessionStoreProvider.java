package app.getbodhi.session.spi;

import app.getbodhi.session.ManagedSessionStore;
import java.util.List;
import java.util.Locale;

/**
 * A session store backend, found with {@link java.util.ServiceLoader}: each backend module lists
 * its provider in {@code META-INF/services/app.getbodhi.session.spi.SessionStoreProvider}.
 *
 * <p>{@code SessionStoreBackend.connect(url)} asks every provider on the classpath whether it
 * {@link #supports(String) supports} the URL; exactly one must. Tools reach a backend through this
 * interface only: {@link #inspect(String)} for a read-only look, {@link #sharedByNodes()} for the
 * cluster rule, {@link #artifact()} for messages. Implementations are stateless and thread-safe,
 * with a public no-argument constructor.
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
   * Looks at the database a URL names without changing it: it never creates a folder, a file, a
   * database or a table, never migrates and never writes. Whatever stops a server from using the
   * store (a folder that cannot be created or written, a file that is corrupt, a server that cannot
   * be reached) is reported in {@link StoreInspection#problems()}, not thrown; a remote server is
   * given a few seconds to answer.
   *
   * <p>The default reports {@link StoreInspection.Database#NOT_INSPECTED}: a backend that can look
   * should say so by overriding this.
   *
   * @param url a URL that {@link #supports(String)} accepted
   * @return what was found
   */
  default StoreInspection inspect(String url) {
    return StoreInspection.notInspected(name(), url);
  }

  /**
   * Tells whether several application nodes can share this backend's store, which cluster mode
   * needs: every node must see every session. A file on one machine cannot be shared; a database
   * server can.
   *
   * @return {@code true} when one store may serve several nodes; the default is {@code false}
   */
  default boolean sharedByNodes() {
    return false;
  }

  /**
   * Tells whether two URLs this backend accepts reach the same stored sessions, however each is
   * spelled, so that a copy from a store onto itself can be refused. The default compares the URLs
   * as written.
   *
   * @param url a URL that {@link #supports(String)} accepted
   * @param other another URL that {@link #supports(String)} accepted
   * @return whether both reach the same sessions
   */
  default boolean sameStore(String url, String other) {
    return url.strip().equals(other.strip());
  }

  /**
   * Names the Maven artifact that holds this provider, for messages that tell a user what to add or
   * remove.
   *
   * @return {@code groupId:artifactId}
   */
  String artifact();
}

package app.getbodhi.session.service;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session store the configuration picked: wraps whichever {@link ManagedSessionStore} a backend
 * opened and delegates every call to it ({@link ForwardingSessionStore}); {@link #store()} returns
 * it.
 *
 * <p>{@link #connect(String)} finds backends with {@link ServiceLoader} (each backend module
 * registers a {@link SessionStoreProvider}), picks the one whose URL prefixes match, opens the
 * store and migrates its schema. Exactly one provider must accept the URL: none is an {@code
 * UNSUPPORTED_URL} error that names the backends found and, for a URL of a backend this project
 * ships but the classpath lacks, the artifact to add; several is a {@code CONFIGURATION} error,
 * resolved by passing the provider explicitly to {@link #connect(String, SessionStoreConfig,
 * SessionStoreProvider)}.
 *
 * <p>Thread-safe, as the wrapped store is.
 */
public final class SessionStoreBackend extends ForwardingSessionStore {

  private static final Logger LOG = LoggerFactory.getLogger(SessionStoreBackend.class);

  private SessionStoreBackend(ManagedSessionStore store) {
    super(store);
  }

  /**
   * Wraps a store that is already open. The store is not migrated here.
   *
   * @param store the store; closing the backend closes it
   * @return the backend
   */
  public static SessionStoreBackend of(ManagedSessionStore store) {
    return store instanceof SessionStoreBackend backend ? backend : new SessionStoreBackend(store);
  }

  /**
   * Finds the backend for a URL, opens it with default settings and migrates its schema.
   *
   * @param url {@code sqlite:...}, {@code postgres://...} or another URL a backend on the classpath
   *     accepts
   * @return the backend, ready for use
   * @throws SessionServiceException of kind UNSUPPORTED_URL when no backend accepts the URL,
   *     CONFIGURATION when the URL is malformed or ambiguous, DATABASE or MIGRATION when the store
   *     cannot be opened or migrated
   */
  public static SessionStoreBackend connect(String url) {
    return connect(url, SessionStoreConfig.defaults());
  }

  /**
   * Finds the backend for a URL, opens it and migrates its schema.
   *
   * @param url the session database URL
   * @param config pool, timeout, clock and limits
   * @return the backend, ready for use
   * @throws SessionServiceException as {@link #connect(String)} does
   */
  public static SessionStoreBackend connect(String url, SessionStoreConfig config) {
    return connect(url, config, selectProvider(url, discoverProviders()));
  }

  /**
   * Opens a store with a chosen provider and migrates it: for a classpath where several providers
   * accept the same URL.
   *
   * @param url the session database URL
   * @param config pool, timeout, clock and limits
   * @param provider the backend to use
   * @return the backend, ready for use
   */
  public static SessionStoreBackend connect(
      String url, SessionStoreConfig config, SessionStoreProvider provider) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(provider, "provider");
    ManagedSessionStore store = provider.open(url, config);
    try {
      // what an operator must do after sealing (vacuum) is worth a warning in the start-up log
      store.migrate().advice().forEach(LOG::warn);
    } catch (RuntimeException e) {
      closeQuietly(store, e);
      throw e;
    }
    LOG.info("Session store: {} at {}", provider.name(), DatabaseUrls.redact(url));
    return new SessionStoreBackend(store);
  }

  /**
   * Lists the providers on the classpath, one per name. A provider that fails to load is logged and
   * skipped, so one broken jar does not hide the others.
   *
   * @return the providers found, in classpath order
   */
  public static List<SessionStoreProvider> discoverProviders() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = SessionStoreBackend.class.getClassLoader();
    }
    Map<String, SessionStoreProvider> byName = new LinkedHashMap<>();
    Iterator<SessionStoreProvider> iterator =
        ServiceLoader.load(SessionStoreProvider.class, loader).iterator();
    while (true) {
      SessionStoreProvider provider;
      try {
        if (!iterator.hasNext()) {
          break;
        }
        provider = iterator.next();
      } catch (ServiceConfigurationError e) {
        LOG.warn("A session store provider failed to load and is skipped: {}", e.getMessage());
        continue;
      }
      SessionStoreProvider earlier = byName.putIfAbsent(provider.name(), provider);
      if (earlier != null && earlier.getClass() != provider.getClass()) {
        LOG.warn(
            "Two session store providers are named '{}': {} and {}; using the first. Remove one"
                + " from the classpath.",
            provider.name(),
            earlier.getClass().getName(),
            provider.getClass().getName());
      }
    }
    return List.copyOf(byName.values());
  }

  /**
   * Picks the one provider that accepts a URL.
   *
   * @param url the session database URL
   * @param providers the candidates
   * @return the provider
   * @throws SessionServiceException of kind UNSUPPORTED_URL when none accepts it, CONFIGURATION
   *     when several do
   */
  public static SessionStoreProvider selectProvider(
      String url, List<SessionStoreProvider> providers) {
    if (url == null || url.isBlank()) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "The session database URL is empty; set it to a URL one of the backends on the"
              + " classpath takes: "
              + describe(providers)
              + ".");
    }
    List<SessionStoreProvider> matching = new ArrayList<>();
    for (SessionStoreProvider provider : providers) {
      if (provider.supports(url)) {
        matching.add(provider);
      }
    }
    if (matching.size() == 1) {
      return matching.get(0);
    }
    if (matching.isEmpty()) {
      throw unsupported(url, providers);
    }
    throw new SessionServiceException(
        SessionServiceException.Kind.CONFIGURATION,
        "Several session store backends accept '"
            + DatabaseUrls.redact(url)
            + "': "
            + matching.stream()
                .map(p -> p.name() + " (" + p.getClass().getName() + " in " + p.artifact() + ")")
                .collect(Collectors.joining(", "))
            + ". Remove one from the classpath or pass the provider to"
            + " SessionStoreBackend.connect explicitly.");
  }

  private static SessionServiceException unsupported(
      String url, List<SessionStoreProvider> providers) {
    String scheme = DatabaseUrls.scheme(url).map(s -> "'" + s + "'").orElse("(none)");
    String available = describe(providers);
    String hint =
        BackendHints.forUrl(url)
            .filter(known -> providers.stream().noneMatch(p -> p.name().equals(known.name())))
            .map(
                known ->
                    " It is a "
                        + known.name()
                        + " URL: add "
                        + known.artifact()
                        + " to the classpath.")
            .orElseGet(() -> " Use one of the URL forms above." + otherBackends(providers));
    return new SessionServiceException(
        SessionServiceException.Kind.UNSUPPORTED_URL,
        "No session store backend accepts the URL scheme "
            + scheme
            + " of '"
            + DatabaseUrls.redact(url)
            + "'. Backends on the classpath: "
            + available
            + "."
            + hint);
  }

  /** Names the providers and the URL prefixes each takes. */
  private static String describe(List<SessionStoreProvider> providers) {
    return providers.isEmpty()
        ? "none"
        : providers.stream()
            .map(p -> p.name() + " (" + String.join(", ", p.urlPrefixes()) + ")")
            .collect(Collectors.joining(", "));
  }

  /** Names the shipped backends that are not on the classpath, and the artifact of each. */
  private static String otherBackends(List<SessionStoreProvider> providers) {
    List<String> missing = new ArrayList<>();
    for (BackendHints.Hint known : BackendHints.all()) {
      if (providers.stream().noneMatch(p -> p.name().equals(known.name()))) {
        missing.add(
            known.name()
                + " ("
                + String.join(", ", known.urlPrefixes())
                + "): add "
                + known.artifact());
      }
    }
    return missing.isEmpty() ? "" : " Not on the classpath: " + String.join("; ", missing) + ".";
  }

  private static void closeQuietly(ManagedSessionStore store, RuntimeException failure) {
    try {
      store.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Names the backend in use, as its provider does: the published API's name for {@link
   * #backendName()}. Both return the same.
   *
   * @return {@code sqlite}, {@code postgres} or another provider's name
   */
  public String kind() {
    return backendName();
  }

  @Override
  public String toString() {
    return "SessionStoreBackend[" + kind() + "]";
  }
}

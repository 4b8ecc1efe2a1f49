package app.getbodhi.session.service;

import app.getbodhi.session.DeploymentMode;
import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session service over a {@link SessionStoreBackend}: hands out the session layer and runs
 * per-user and global operations on the store.
 *
 * <p>{@link #connect(SettingService)} is the usual entry: it reads the session URL and deployment
 * mode from settings, refuses in cluster mode a backend that nodes cannot share (see {@link
 * #deploymentProblem}), opens the store and migrates it. Expired sessions are deleted in the
 * background, every {@link SettingService#BODHI_SESSION_CLEANUP_INTERVAL} (5 minutes by default),
 * on a daemon thread. Thread-safe. {@link #close()} stops the cleaner and closes the store and its
 * pool.
 */
public final class DefaultSessionService implements SessionService, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DefaultSessionService.class);

  private final SessionStoreBackend backend;
  private final SessionManagerLayer layer;
  private final ExpiredSessionCleaner cleaner; // null when cleanup is off

  /**
   * Serves sessions from a backend with the default layer settings, deleting expired sessions every
   * {@link SettingService#DEFAULT_CLEANUP_INTERVAL}.
   *
   * @param backend the store; the service closes it in {@link #close()}
   */
  public DefaultSessionService(SessionStoreBackend backend) {
    this(backend, SessionManagerLayer.of(backend));
  }

  /**
   * Serves sessions from a backend with a configured layer, deleting expired sessions every {@link
   * SettingService#DEFAULT_CLEANUP_INTERVAL}.
   *
   * @param backend the store; the service closes it in {@link #close()}
   * @param layer the layer {@link #sessionLayer()} returns; its store should be {@code backend}
   */
  public DefaultSessionService(SessionStoreBackend backend, SessionManagerLayer layer) {
    this(backend, layer, Optional.of(SettingService.DEFAULT_CLEANUP_INTERVAL));
  }

  /**
   * Serves sessions from a backend with a configured layer and cleanup period.
   *
   * @param backend the store; the service closes it in {@link #close()}
   * @param layer the layer {@link #sessionLayer()} returns; its store should be {@code backend}
   * @param cleanupInterval how often a daemon thread deletes expired sessions, or empty for never
   */
  public DefaultSessionService(
      SessionStoreBackend backend, SessionManagerLayer layer, Optional<Duration> cleanupInterval) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.layer = Objects.requireNonNull(layer, "layer");
    this.cleaner =
        cleanupInterval.map(period -> new ExpiredSessionCleaner(backend, period)).orElse(null);
  }

  /**
   * Connects with default store settings; see {@link #connect(SettingService, SessionStoreConfig)}.
   *
   * @param settings where the URL and deployment mode come from
   * @return the service, its schema migrated
   */
  public static DefaultSessionService connect(SettingService settings) {
    return connect(settings, SessionStoreConfig.defaults());
  }

  /**
   * Reads {@link SettingService#sessionDbUrl()} and {@link SettingService#deploymentMode()}, opens
   * the backend the URL names and migrates it.
   *
   * @param settings where the URL and deployment mode come from
   * @param config pool, timeout, clock and limits
   * @return the service
   * @throws SessionServiceException of kind CONFIGURATION for any problem {@link SettingsCheck}
   *     finds in the settings (all of them in one message), such as a cluster deployment on a
   *     backend nodes cannot share or without a server secret; otherwise as {@link
   *     SessionStoreBackend#connect(String, SessionStoreConfig)}
   */
  public static DefaultSessionService connect(SettingService settings, SessionStoreConfig config) {
    return connect(settings, config, UnaryOperator.identity());
  }

  /**
   * Connects as {@link #connect(SettingService, SessionStoreConfig)} does, and wraps the opened and
   * migrated store before the service, its layer and its cleaner use it: to meter it, for example
   * with {@code store -> new MeteredSessionStore(store, meterRegistry)}.
   *
   * <p>The layer also takes {@link SettingService#sessionLifetime()} as its expiry, {@link
   * SettingService#accessGranularity()} as its access granularity and {@link
   * SettingService#secureCookie()} as the cookie's {@code Secure} attribute; the store takes {@link
   * SettingService#sessionSecret()} and {@link SettingService#previousSessionSecret()} as its
   * secrets (see {@link #secretWarning}).
   *
   * @param settings where the URL, deployment mode and session settings come from
   * @param config pool, timeout, clock and limits
   * @param decorator wraps the store; it must delegate every call, and closing what it returns must
   *     close the store
   * @return the service
   * @throws SessionServiceException as {@link #connect(SettingService, SessionStoreConfig)} does
   */
  public static DefaultSessionService connect(
      SettingService settings,
      SessionStoreConfig config,
      UnaryOperator<ManagedSessionStore> decorator) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(decorator, "decorator");
    // every setting checked before connecting, so a bad value fails before a pool is opened, with
    // the messages doctor shows
    SettingsCheck.Report check =
        SettingsCheck.run(settings, config, SessionStoreBackend.discoverProviders());
    check.throwIfProblems();
    SessionStoreConfig sealed = check.config().orElseThrow();
    SessionStoreProvider provider = check.provider().orElseThrow();
    Optional<Duration> cleanupInterval = settings.cleanupInterval();
    Duration lifetime = settings.sessionLifetime();
    Duration granularity = settings.accessGranularity();
    boolean secureCookie = settings.secureCookie();
    String url = settings.sessionDbUrl();
    secretWarning(settings.deploymentMode(), sealed.secret())
        .ifPresentOrElse(
            LOG::warn,
            () -> {
              if (sealed.secret().isNone()) {
                // standalone: one machine, whose database nobody else writes; worth a note only
                LOG.info(
                    "No {} is set; a database other services can write to needs one. To set one,"
                        + " {}.",
                    SettingService.BODHI_SESSION_SECRET,
                    SessionSecret.HOW_TO_MAKE_ONE);
              }
            });
    SessionStoreBackend opened = SessionStoreBackend.connect(url, sealed, provider);
    SessionStoreBackend backend;
    try {
      backend = SessionStoreBackend.of(decorator.apply(opened));
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    // the layer stamps expiry dates and the store judges them: both must read the same clock
    return new DefaultSessionService(
        backend,
        SessionManagerLayer.builder(backend)
            .clock(config.clock())
            .expiry(lifetime)
            .accessGranularity(granularity)
            .secure(secureCookie)
            .build(),
        cleanupInterval);
  }

  /**
   * Says what is weak about the server secret, for a warning at start-up: no secret in cluster mode
   * (only reachable through {@link
   * SettingService#BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY}, since {@link
   * SettingsCheck} refuses it otherwise), or a secret shorter than {@link
   * SessionSecret#RECOMMENDED_BYTES} in any mode. Standalone without a secret is no warning: one
   * machine's database is written by that machine only, and {@link #connect} notes it at INFO. The
   * message never holds the secret.
   *
   * @param mode the deployment mode
   * @param secret the configured secret
   * @return the warning, or empty
   */
  public static Optional<String> secretWarning(DeploymentMode mode, SessionSecret secret) {
    if (secret.isShort()) {
      return Optional.of(
          SettingService.BODHI_SESSION_SECRET
              + " is shorter than "
              + SessionSecret.RECOMMENDED_BYTES
              + " bytes; it is used, but set one of at least "
              + SessionSecret.RECOMMENDED_BYTES
              + " random bytes (openssl rand -base64 32) and keep the old one in "
              + SettingService.BODHI_SESSION_SECRET_PREVIOUS
              + " while sessions move to it.");
    }
    if (secret.isNone() && mode == DeploymentMode.CLUSTER) {
      return Optional.of(
          "Cluster mode without "
              + SettingService.BODHI_SESSION_SECRET
              + ", because "
              + SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY
              + "=true: whoever can write to the shared session database can log in as anyone."
              + " Never run a real deployment this way; to set a secret, "
              + SessionSecret.HOW_TO_MAKE_ONE
              + ".");
    }
    return Optional.empty();
  }

  /**
   * Checks the deployment mode against the backend a URL picked: in cluster mode every node must
   * see every session, so the backend must be {@link SessionStoreProvider#sharedByNodes() shared by
   * nodes}. The one place this rule and its message live; {@link #connect} refuses to start on it,
   * and tools report it.
   *
   * @param settings where the deployment mode and the URL come from
   * @param provider the backend that accepts {@link SettingService#sessionDbUrl()}
   * @return the problem, saying which settings to change, or empty when the backend suits the mode
   * @throws SessionServiceException of kind CONFIGURATION for an unknown deployment mode
   */
  public static Optional<String> deploymentProblem(
      SettingService settings, SessionStoreProvider provider) {
    if (settings.deploymentMode() != DeploymentMode.CLUSTER || provider.sharedByNodes()) {
      return Optional.empty();
    }
    boolean urlSet = settings.isSet(SettingService.BODHI_SESSION_DB_URL);
    return Optional.of(
        SettingService.BODHI_DEPLOYMENT
            + "=cluster needs sessions in a database every node shares (a backend shared by"
            + " nodes), but "
            + SettingService.BODHI_SESSION_DB_URL
            + (urlSet
                ? " is '" + DatabaseUrls.redact(settings.sessionDbUrl()) + "'"
                : " is unset, so it defaults to a local file")
            + ", and the "
            + provider.name()
            + " backend keeps sessions on one machine. Set "
            + SettingService.BODHI_SESSION_DB_URL
            + " to the URL of a backend shared by nodes, or "
            + SettingService.BODHI_DEPLOYMENT
            + "=standalone.");
  }

  @Override
  public SessionManagerLayer sessionLayer() {
    return layer;
  }

  @Override
  public int clearSessionsForUser(String userId) {
    return backend.clearSessionsForUser(userId);
  }

  @Override
  public int clearAllSessions() {
    return backend.clearAllSessions();
  }

  @Override
  public int countSessionsForUser(String userId) {
    return backend.countSessionsForUser(userId);
  }

  /**
   * Returns the backend, as the store interface: the same object as {@link #backend()}, under the
   * published API's name (see {@link SessionService}).
   *
   * @return the backend
   */
  @Override
  public ManagedSessionStore getSessionStore() {
    return backend();
  }

  /**
   * Returns the backend this service runs on, with what it adds to a store ({@link
   * SessionStoreBackend#kind()}); {@link #getSessionStore()} returns the same object.
   *
   * @return the backend
   */
  public SessionStoreBackend backend() {
    return backend;
  }

  /**
   * Returns the background cleaner.
   *
   * @return the cleaner, or empty when cleanup is off
   */
  public Optional<ExpiredSessionCleaner> cleaner() {
    return Optional.ofNullable(cleaner);
  }

  /** Stops the background cleaner, then closes the backend and its connection pool. */
  @Override
  public void close() {
    if (cleaner != null) {
      cleaner.close();
    }
    backend.close();
  }

  @Override
  public String toString() {
    return "DefaultSessionService[" + backend.kind() + "]";
  }
}

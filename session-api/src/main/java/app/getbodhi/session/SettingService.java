package app.getbodhi.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where bodhi-sessions reads its settings from, with the defaults every implementation shares.
 *
 * <p>Implement {@link #getSetting(String)} over any source; the other methods derive from it. A
 * setting whose value is blank counts as absent. Two implementations come with the library: {@link
 * #fromEnvironment()} (environment variables, overridden by system properties of the same name) and
 * {@link #of(Map)} (a fixed map, for tests). Implementations are thread-safe.
 */
public interface SettingService {

  /** The application's home folder; sessions default to a SQLite file in it. */
  String BODHI_HOME = "BODHI_HOME";

  /** The session database URL: {@code sqlite:PATH}, {@code postgres://...} and the like. */
  String BODHI_SESSION_DB_URL = "BODHI_SESSION_DB_URL";

  /** The deployment mode: {@code standalone} (default) or {@code cluster}. */
  String BODHI_DEPLOYMENT = "BODHI_DEPLOYMENT";

  /**
   * How often expired sessions are deleted in the background: {@code 5m}, {@code 300s}, {@code 1h},
   * an ISO-8601 duration such as {@code PT5M}, or {@code off} (also {@code 0}) to disable. A number
   * without a unit, such as {@code 300}, is refused rather than guessed.
   */
  String BODHI_SESSION_CLEANUP_INTERVAL = "BODHI_SESSION_CLEANUP_INTERVAL";

  /** How often expired sessions are deleted unless configured: every 5 minutes. */
  Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(5);

  /** The name of the SQLite file kept in {@link #bodhiHome()} when no URL is set. */
  String SESSION_DB_FILE_NAME = "session.sqlite";

  /**
   * Reads one setting.
   *
   * @param key the setting's name, such as {@link #BODHI_SESSION_DB_URL}
   * @return its value, or empty when it is unset
   */
  Optional<String> getSetting(String key);

  /**
   * Returns the application's home folder: {@code $BODHI_HOME}, else {@code ~/.cache/bodhi}.
   *
   * @return the folder; it need not exist yet
   */
  default Path bodhiHome() {
    return nonBlank(BODHI_HOME)
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "bodhi"));
  }

  /**
   * Returns the default SQLite session file, {@code bodhiHome()/session.sqlite}. Kept for
   * compatibility; prefer {@link #sessionDbUrl()}.
   *
   * @return the file's path
   */
  default Path sessionDbPath() {
    return bodhiHome().resolve(SESSION_DB_FILE_NAME);
  }

  /**
   * Returns the session database URL: {@link #BODHI_SESSION_DB_URL} when set, else {@code sqlite:}
   * followed by {@link #sessionDbPath()}.
   *
   * @return the URL; may hold a password, so redact it before logging
   */
  default String sessionDbUrl() {
    return nonBlank(BODHI_SESSION_DB_URL).orElseGet(() -> "sqlite:" + sessionDbPath());
  }

  /**
   * Returns the deployment mode from {@link #BODHI_DEPLOYMENT}; {@code STANDALONE} when unset.
   *
   * @return the mode
   * @throws SessionServiceException of kind CONFIGURATION when the value is neither {@code
   *     standalone} nor {@code cluster}
   */
  default DeploymentMode deploymentMode() {
    return nonBlank(BODHI_DEPLOYMENT).map(DeploymentMode::parse).orElse(DeploymentMode.STANDALONE);
  }

  /**
   * Returns how often expired sessions are deleted in the background, from {@link
   * #BODHI_SESSION_CLEANUP_INTERVAL}; {@link #DEFAULT_CLEANUP_INTERVAL} when unset.
   *
   * @return the period, or empty when cleanup is off
   * @throws SessionServiceException of kind CONFIGURATION for a value that is not a duration
   */
  default Optional<Duration> cleanupInterval() {
    Optional<String> value = nonBlank(BODHI_SESSION_CLEANUP_INTERVAL);
    if (value.isEmpty()) {
      return Optional.of(DEFAULT_CLEANUP_INTERVAL);
    }
    Duration interval = Durations.parse(BODHI_SESSION_CLEANUP_INTERVAL, value.get());
    return interval.isZero() ? Optional.empty() : Optional.of(interval);
  }

  private Optional<String> nonBlank(String key) {
    return getSetting(key).map(String::trim).filter(value -> !value.isEmpty());
  }

  /**
   * Returns settings read from environment variables, where a system property of the same name wins
   * (handy for {@code -DBODHI_HOME=...}).
   *
   * @return the settings
   */
  static SettingService fromEnvironment() {
    return new EnvironmentSettingService(System.getenv());
  }

  /**
   * Returns settings read from a fixed map, for tests and embedding.
   *
   * @param settings the values; copied
   * @return the settings
   */
  static SettingService of(Map<String, String> settings) {
    return new MapSettingService(settings);
  }
}

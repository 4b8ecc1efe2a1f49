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

  /**
   * How long a stored session lives after its last save, unless the session sets its own timeout:
   * {@code 30m}, {@code 12h}, {@code 14d} or an ISO-8601 duration such as {@code P14D}; between
   * {@link #MIN_SESSION_LIFETIME} and {@link #MAX_SESSION_LIFETIME}.
   */
  String BODHI_SESSION_LIFETIME = "BODHI_SESSION_LIFETIME";

  /**
   * A session's lifetime unless configured: 14 days. The session layer ({@code
   * SessionManagerLayer.DEFAULT_EXPIRY} in session-service) takes its default from here.
   */
  Duration DEFAULT_SESSION_LIFETIME = Duration.ofDays(14);

  /** The shortest session lifetime accepted: 1 minute, below which no one stays logged in. */
  Duration MIN_SESSION_LIFETIME = Duration.ofMinutes(1);

  /** The longest session lifetime accepted: 365 days. */
  Duration MAX_SESSION_LIFETIME = Duration.ofDays(365);

  /**
   * The precision of a session's last access time, and the slack of its idle timeout: a request
   * that only reads the session writes its access time only when the last write is older than this,
   * and a session lives at least its timeout after its last request and at most this much longer.
   * The value used for a session is the smaller of this setting and a tenth of the session's
   * timeout. {@code 0s} writes on every request; at most {@link #MAX_ACCESS_GRANULARITY}. Such as
   * {@code 30s}, {@code 5m} or {@code PT5M}.
   */
  String BODHI_SESSION_ACCESS_GRANULARITY = "BODHI_SESSION_ACCESS_GRANULARITY";

  /**
   * The access granularity unless configured: 5 minutes, so that a busy session costs at most one
   * write every 5 minutes for its access time, while sessions with a timeout shorter than 50
   * minutes use a tenth of their timeout instead.
   */
  Duration DEFAULT_ACCESS_GRANULARITY = Duration.ofMinutes(5);

  /** The coarsest access granularity accepted: 1 hour. */
  Duration MAX_ACCESS_GRANULARITY = Duration.ofHours(1);

  /**
   * Whether the session cookie carries {@code Secure}, so browsers send it over HTTPS only: {@code
   * true} or {@code false} (the default, since a plain-HTTP server would otherwise never see its
   * cookie). Set it whenever the application is served over HTTPS.
   */
  String BODHI_SESSION_SECURE_COOKIE = "BODHI_SESSION_SECURE_COOKIE";

  /**
   * The optional server secret that enters every row key and data key: base64 of at least {@link
   * SessionSecret#RECOMMENDED_BYTES} random bytes ({@code openssl rand -base64 32}). Unset,
   * sessions are still sealed, with keys derived from their ids alone.
   */
  String BODHI_SESSION_SECRET = "BODHI_SESSION_SECRET";

  /**
   * The secret in use before the current {@link #BODHI_SESSION_SECRET}, while rotating it: sessions
   * stored under it still load and move to the current secret on their next write. {@code none}
   * stands for "no secret", for turning a secret on without logging anyone out.
   */
  String BODHI_SESSION_SECRET_PREVIOUS = "BODHI_SESSION_SECRET_PREVIOUS";

  /**
   * A file that holds {@link #BODHI_SESSION_SECRET}, for secrets mounted as files (Docker and
   * Kubernetes secrets): the value stays out of the process list and the environment. A trailing
   * newline is ignored. Setting both this and {@link #BODHI_SESSION_SECRET} is an error.
   */
  String BODHI_SESSION_SECRET_FILE = "BODHI_SESSION_SECRET_FILE";

  /**
   * A file that holds {@link #BODHI_SESSION_SECRET_PREVIOUS}, as {@link #BODHI_SESSION_SECRET_FILE}
   * holds the current one.
   */
  String BODHI_SESSION_SECRET_PREVIOUS_FILE = "BODHI_SESSION_SECRET_PREVIOUS_FILE";

  /**
   * Lets a node in cluster mode start without a server secret when set to {@code true}: for a test
   * setup only. In cluster mode the session database is shared by every node (and often by other
   * services), and without a secret whoever can write to it can log in as anyone; so cluster mode
   * refuses to start without one unless this is set. Named so that nobody sets it by accident.
   */
  String BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY =
      "BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY";

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
   * Tells whether a setting has a value that is not blank (a blank one counts as absent).
   *
   * @param key the setting's name
   * @return whether it is set
   */
  default boolean isSet(String key) {
    return nonBlank(key).isPresent();
  }

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

  /**
   * Returns how long a stored session lives after its last save, from {@link
   * #BODHI_SESSION_LIFETIME}; {@link #DEFAULT_SESSION_LIFETIME} when unset.
   *
   * @return the lifetime
   * @throws SessionServiceException of kind CONFIGURATION for a value that is not a duration or
   *     lies outside {@link #MIN_SESSION_LIFETIME} to {@link #MAX_SESSION_LIFETIME}
   */
  default Duration sessionLifetime() {
    return nonBlank(BODHI_SESSION_LIFETIME)
        .map(value -> parseSessionLifetime(BODHI_SESSION_LIFETIME, value))
        .orElse(DEFAULT_SESSION_LIFETIME);
  }

  /**
   * Parses a session lifetime as {@link #sessionLifetime()} does, for a command-line option or
   * another source that names the value differently.
   *
   * @param name the setting or option, for the message
   * @param value such as {@code 30m}, {@code 14d} or {@code P14D}
   * @return the lifetime
   * @throws SessionServiceException of kind CONFIGURATION naming {@code name} and the limits when
   *     the value is not a duration or lies outside them
   */
  static Duration parseSessionLifetime(String name, String value) {
    return parseBetween(
        name,
        value,
        MIN_SESSION_LIFETIME,
        MAX_SESSION_LIFETIME,
        "between 1 minute and 365 days, with a unit (such as 30m, 12h or 14d)");
  }

  /**
   * Returns the precision of a session's last access time, from {@link
   * #BODHI_SESSION_ACCESS_GRANULARITY}; {@link #DEFAULT_ACCESS_GRANULARITY} when unset.
   *
   * @return the granularity, zero to write the access time on every request
   * @throws SessionServiceException of kind CONFIGURATION for a value that is not a duration or is
   *     longer than {@link #MAX_ACCESS_GRANULARITY}
   */
  default Duration accessGranularity() {
    return nonBlank(BODHI_SESSION_ACCESS_GRANULARITY)
        .map(value -> parseAccessGranularity(BODHI_SESSION_ACCESS_GRANULARITY, value))
        .orElse(DEFAULT_ACCESS_GRANULARITY);
  }

  /**
   * Parses an access granularity as {@link #accessGranularity()} does, for a command-line option or
   * another source that names the value differently.
   *
   * @param name the setting or option, for the message
   * @param value such as {@code 0s}, {@code 30s} or {@code 5m}
   * @return the granularity
   * @throws SessionServiceException of kind CONFIGURATION naming {@code name} and the limits when
   *     the value is not a duration or is longer than {@link #MAX_ACCESS_GRANULARITY}
   */
  static Duration parseAccessGranularity(String name, String value) {
    return parseBetween(
        name,
        value,
        Duration.ZERO,
        MAX_ACCESS_GRANULARITY,
        "between 0s and 1 hour, with a unit (such as 0s, 30s or 5m)");
  }

  /** Parses a duration setting that must lie between two limits, which {@code limits} words. */
  private static Duration parseBetween(
      String name, String value, Duration min, Duration max, String limits) {
    // every example in the limits is a value this accepts: a bare number has no unit
    Duration duration = Durations.parseRequired(name, value, limits);
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw InvalidSetting.mustBe(name, limits, value);
    }
    return duration;
  }

  /**
   * Returns whether the session cookie is {@code Secure}, from {@link
   * #BODHI_SESSION_SECURE_COOKIE}; false when unset.
   *
   * @return whether browsers may send the cookie over HTTPS only
   * @throws SessionServiceException of kind CONFIGURATION for a value other than {@code true} or
   *     {@code false}
   */
  default boolean secureCookie() {
    return flag(BODHI_SESSION_SECURE_COOKIE);
  }

  /**
   * Returns whether a node in cluster mode may start without a server secret, from {@link
   * #BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY}; false when unset.
   *
   * @return whether the opt-out for test setups is on
   * @throws SessionServiceException of kind CONFIGURATION for a value other than {@code true} or
   *     {@code false}
   */
  default boolean clusterWithoutSecretForTestingOnly() {
    return flag(BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY);
  }

  private boolean flag(String key) {
    return nonBlank(key)
        .map(
            value -> {
              if (value.equalsIgnoreCase("true")) {
                return true;
              }
              if (value.equalsIgnoreCase("false")) {
                return false;
              }
              throw InvalidSetting.mustBe(key, "true or false", value);
            })
        .orElse(false);
  }

  /**
   * Returns the server secret from {@link #BODHI_SESSION_SECRET}, or from the file {@link
   * #BODHI_SESSION_SECRET_FILE} names; {@link SessionSecret#none()} when neither is set.
   *
   * @return the secret
   * @throws SessionServiceException of kind CONFIGURATION, naming the variable set and never the
   *     value, when the value is not base64 or is {@code none}, when both forms are set, or when
   *     the file cannot be read
   */
  default SessionSecret sessionSecret() {
    return SecretSettings.current(this);
  }

  /**
   * Returns the previous server secret from {@link #BODHI_SESSION_SECRET_PREVIOUS}, or from the
   * file {@link #BODHI_SESSION_SECRET_PREVIOUS_FILE} names: empty when neither is set, {@link
   * SessionSecret#none()} for {@code none}.
   *
   * @return the previous secret, if any
   * @throws SessionServiceException of kind CONFIGURATION when the value is neither {@code none}
   *     nor base64, when both forms are set, or when the file cannot be read
   */
  default Optional<SessionSecret> previousSessionSecret() {
    return SecretSettings.previous(this);
  }

  /**
   * Names the variable a secret was set with, for messages: {@code BODHI_SESSION_SECRET_FILE} when
   * the secret comes from a file, else {@code BODHI_SESSION_SECRET} (the same for the previous
   * one).
   *
   * @param secretSetting {@link #BODHI_SESSION_SECRET} or {@link #BODHI_SESSION_SECRET_PREVIOUS}
   * @return the name the user set
   */
  default String secretSettingName(String secretSetting) {
    return SecretSettings.nameSet(this, secretSetting);
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

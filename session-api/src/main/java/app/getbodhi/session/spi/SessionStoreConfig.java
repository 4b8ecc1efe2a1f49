package app.getbodhi.session.spi;

import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Settings a backend opens its store with. Immutable; start from {@link #defaults()} and change
 * what you need with the {@code with...} methods, each of which checks its value and names the
 * setting and its limit when it refuses one.
 *
 * @param clock the source of "now" for expiry checks; tests pass a controllable clock
 * @param connectionTimeout how long a call waits for a pooled connection before it fails
 * @param maximumPoolSize the most connections the store's pool opens
 * @param busyTimeout how long SQLite waits on a locked database before it fails
 * @param maxDataBytes the largest session, in bytes of JSON, that {@code save} accepts
 * @param deleteBatchSize how many expired rows one {@code deleteExpired} statement removes at most
 * @param queryTimeout how long a call waits for a server that stopped answering (PostgreSQL's
 *     socket timeout) before it fails, so a frozen server cannot hang a request forever
 * @param poolMetricsTrackerFactory what the store's own connection pool reports its metrics to: a
 *     HikariCP {@code com.zaxxer.hikari.metrics.MetricsTrackerFactory}, such as {@code new
 *     MicrometerMetricsTrackerFactory(meterRegistry)}; empty for none (the default). Typed {@code
 *     Object} so that this API depends on neither HikariCP nor Micrometer; a backend that pools
 *     with HikariCP checks the type when it opens its pool, and a store on a caller's data source
 *     ignores it (that pool is the caller's to instrument)
 * @param secret the server secret row keys and data keys are derived with; {@link
 *     SessionSecret#none()} (the default) for none
 * @param previousSecret the secret used before {@code secret}, while rotating it: sessions stored
 *     under it still load and move to {@code secret} on their next write; {@link
 *     SessionSecret#none()} for sessions stored without a secret; empty (the default) when there is
 *     no previous one
 */
public record SessionStoreConfig(
    Clock clock,
    Duration connectionTimeout,
    int maximumPoolSize,
    Duration busyTimeout,
    int maxDataBytes,
    int deleteBatchSize,
    Duration queryTimeout,
    Optional<Object> poolMetricsTrackerFactory,
    SessionSecret secret,
    Optional<SessionSecret> previousSecret) {

  /** How long a call waits for a connection unless configured: 5 seconds. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /** The shortest connection timeout HikariCP accepts. */
  public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

  /** The pool size unless configured: enough for a small server on a few cores. */
  public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

  /** How long SQLite waits for a lock unless configured: 5 seconds. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

  /** The largest session unless configured: 1 MiB of JSON. */
  public static final int DEFAULT_MAX_DATA_BYTES = 1024 * 1024;

  /** The smallest size limit accepted: 1 KiB of JSON, room for a user and a CSRF token. */
  public static final int MIN_MAX_DATA_BYTES = 1024;

  /** Expired rows per delete statement unless configured: small enough not to stall writers. */
  public static final int DEFAULT_DELETE_BATCH_SIZE = 5_000;

  /** The most rows one delete statement may remove, so no transaction grows without bound. */
  public static final int MAX_DELETE_BATCH_SIZE = 10_000;

  /**
   * How long a call waits on a server that stopped answering, unless configured: 30 seconds, far
   * above any statement this library sends (each is one indexed row or one bounded batch).
   */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

  /** The most connections a pool may be given. */
  public static final int MAX_MAXIMUM_POOL_SIZE = 1000;

  /** The shortest query timeout: 1 second, since PostgreSQL takes its socket timeout in seconds. */
  public static final Duration MIN_QUERY_TIMEOUT = Duration.ofSeconds(1);

  /** The longest query timeout: 1 day. */
  public static final Duration MAX_QUERY_TIMEOUT = Duration.ofDays(1);

  /** Checks every value. */
  public SessionStoreConfig {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(poolMetricsTrackerFactory, "poolMetricsTrackerFactory");
    Objects.requireNonNull(secret, "secret");
    checked(
        "previousSecret",
        previousSecret,
        previous -> !previous.equals(Optional.of(secret)),
        "different from secret (or left unset)");
    checked(
        "queryTimeout",
        queryTimeout,
        timeout ->
            timeout.compareTo(MIN_QUERY_TIMEOUT) >= 0 && timeout.compareTo(MAX_QUERY_TIMEOUT) <= 0,
        "between 1 second and 1 day");
    checked(
        "connectionTimeout",
        connectionTimeout,
        timeout -> timeout.compareTo(MIN_CONNECTION_TIMEOUT) >= 0,
        "at least " + MIN_CONNECTION_TIMEOUT.toMillis() + " ms");
    checked(
        "maximumPoolSize",
        maximumPoolSize,
        size -> size >= 1 && size <= MAX_MAXIMUM_POOL_SIZE,
        "between 1 and " + MAX_MAXIMUM_POOL_SIZE);
    checked(
        "busyTimeout",
        busyTimeout,
        timeout -> !timeout.isNegative() && timeout.toMillis() <= Integer.MAX_VALUE,
        "between 0 and " + Integer.MAX_VALUE + " ms");
    checked(
        "maxDataBytes",
        maxDataBytes,
        bytes -> bytes >= MIN_MAX_DATA_BYTES,
        "at least " + MIN_MAX_DATA_BYTES + " bytes");
    checked(
        "deleteBatchSize",
        deleteBatchSize,
        rows -> rows >= 1 && rows <= MAX_DELETE_BATCH_SIZE,
        "between 1 and " + MAX_DELETE_BATCH_SIZE);
  }

  /**
   * Settings without pool metrics, as before pool metrics could be configured.
   *
   * @param clock the source of "now" for expiry checks
   * @param connectionTimeout how long a call waits for a pooled connection
   * @param maximumPoolSize the most connections the store's pool opens
   * @param busyTimeout how long SQLite waits on a locked database
   * @param maxDataBytes the largest session, in bytes of JSON
   * @param deleteBatchSize expired rows per delete statement
   * @param queryTimeout how long a call waits for a server that stopped answering
   */
  public SessionStoreConfig(
      Clock clock,
      Duration connectionTimeout,
      int maximumPoolSize,
      Duration busyTimeout,
      int maxDataBytes,
      int deleteBatchSize,
      Duration queryTimeout) {
    this(
        clock,
        connectionTimeout,
        maximumPoolSize,
        busyTimeout,
        maxDataBytes,
        deleteBatchSize,
        queryTimeout,
        Optional.empty(),
        SessionSecret.none(),
        Optional.empty());
  }

  /**
   * Returns the defaults: the system UTC clock and the {@code DEFAULT_*} constants.
   *
   * @return the default settings
   */
  public static SessionStoreConfig defaults() {
    return new SessionStoreConfig(
        Clock.systemUTC(),
        DEFAULT_CONNECTION_TIMEOUT,
        DEFAULT_MAXIMUM_POOL_SIZE,
        DEFAULT_BUSY_TIMEOUT,
        DEFAULT_MAX_DATA_BYTES,
        DEFAULT_DELETE_BATCH_SIZE,
        DEFAULT_QUERY_TIMEOUT);
  }

  /**
   * @param newClock the clock expiry is judged by
   * @return a copy with that clock
   */
  public SessionStoreConfig withClock(Clock newClock) {
    return copy(d -> d.clock = newClock);
  }

  /**
   * @param timeout how long a call waits for a connection; at least 250 ms
   * @return a copy with that timeout
   */
  public SessionStoreConfig withConnectionTimeout(Duration timeout) {
    return copy(d -> d.connectionTimeout = timeout);
  }

  /**
   * @param size the most pooled connections; 1 to {@value #MAX_MAXIMUM_POOL_SIZE}
   * @return a copy with that pool size
   */
  public SessionStoreConfig withMaximumPoolSize(int size) {
    return copy(d -> d.maximumPoolSize = size);
  }

  /**
   * @param timeout how long SQLite waits on a lock; 0 or more
   * @return a copy with that busy timeout
   */
  public SessionStoreConfig withBusyTimeout(Duration timeout) {
    return copy(d -> d.busyTimeout = timeout);
  }

  /**
   * @param bytes the largest session in bytes of JSON; at least 1024
   * @return a copy with that limit
   */
  public SessionStoreConfig withMaxDataBytes(int bytes) {
    return copy(d -> d.maxDataBytes = bytes);
  }

  /**
   * @param rows expired rows per delete statement; 1 to 10 000
   * @return a copy with that batch size
   */
  public SessionStoreConfig withDeleteBatchSize(int rows) {
    return copy(d -> d.deleteBatchSize = rows);
  }

  /**
   * @param timeout how long a call waits on a server that stopped answering; 1 s to 1 day
   * @return a copy with that timeout
   */
  public SessionStoreConfig withQueryTimeout(Duration timeout) {
    return copy(d -> d.queryTimeout = timeout);
  }

  /**
   * @param factory a HikariCP {@code MetricsTrackerFactory} the store's own pool reports to, such
   *     as {@code new MicrometerMetricsTrackerFactory(meterRegistry)}; checked when the pool opens
   * @return a copy whose pool reports its metrics there
   */
  public SessionStoreConfig withPoolMetricsTrackerFactory(Object factory) {
    Optional<Object> tracker = Optional.of(Objects.requireNonNull(factory, "factory"));
    return copy(d -> d.poolMetricsTrackerFactory = tracker);
  }

  /**
   * @param newSecret the server secret; {@link SessionSecret#none()} for none
   * @return a copy that derives row keys and data keys with it
   */
  public SessionStoreConfig withSecret(SessionSecret newSecret) {
    return copy(d -> d.secret = newSecret);
  }

  /**
   * @param previous the secret in use before the current one ({@link SessionSecret#none()} for
   *     sessions stored without one), or empty for none
   * @return a copy that still opens sessions stored under it
   */
  public SessionStoreConfig withPreviousSecret(Optional<SessionSecret> previous) {
    return copy(d -> d.previousSecret = previous);
  }

  /**
   * Takes the server secrets from settings: {@link SettingService#sessionSecret()} when one is set
   * (a secret already in this config stands otherwise) and {@link
   * SettingService#previousSessionSecret()} when set. The one place settings become secrets.
   *
   * @param settings where {@code BODHI_SESSION_SECRET} and {@code BODHI_SESSION_SECRET_PREVIOUS}
   *     come from
   * @return a copy with those secrets
   * @throws SessionServiceException of kind CONFIGURATION when a secret is not base64, or the
   *     previous one equals the current one; the message names the variables the user set
   */
  public SessionStoreConfig withSecretsFrom(SettingService settings) {
    SessionSecret secret = settings.sessionSecret();
    SessionStoreConfig config = secret.isNone() ? this : withSecret(secret);
    Optional<SessionSecret> previous = settings.previousSessionSecret();
    if (previous.isPresent() && previous.get().equals(config.secret)) {
      // said here, in the names the user set, before the constructor's generic refusal
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION, samePreviousSecret(settings, previous.get()));
    }
    return previous.isPresent() ? config.withPreviousSecret(previous) : config;
  }

  private static String samePreviousSecret(SettingService settings, SessionSecret previous) {
    String current = settings.secretSettingName(SettingService.BODHI_SESSION_SECRET);
    String old = settings.secretSettingName(SettingService.BODHI_SESSION_SECRET_PREVIOUS);
    if (previous.isNone()) {
      return old
          + "=none is for turning a secret on (sessions stored without one keep loading), but no"
          + " secret is set: set "
          + SettingService.BODHI_SESSION_SECRET
          + " (or "
          + SettingService.BODHI_SESSION_SECRET_FILE
          + ") to the new secret, or unset "
          + old
          + ".";
    }
    return old
        + " holds the same secret as "
        + current
        + "; while rotating, it must hold the secret used before (or be unset once every"
        + " session has moved to the new one).";
  }

  /** A copy with one setting changed; the canonical constructor checks the result. */
  private SessionStoreConfig copy(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** The settings as changeable fields, so each {@code with...} method names only its own. */
  private static final class Draft {
    Clock clock;
    Duration connectionTimeout;
    int maximumPoolSize;
    Duration busyTimeout;
    int maxDataBytes;
    int deleteBatchSize;
    Duration queryTimeout;
    Optional<Object> poolMetricsTrackerFactory;
    SessionSecret secret;
    Optional<SessionSecret> previousSecret;

    Draft(SessionStoreConfig from) {
      clock = from.clock;
      connectionTimeout = from.connectionTimeout;
      maximumPoolSize = from.maximumPoolSize;
      busyTimeout = from.busyTimeout;
      maxDataBytes = from.maxDataBytes;
      deleteBatchSize = from.deleteBatchSize;
      queryTimeout = from.queryTimeout;
      poolMetricsTrackerFactory = from.poolMetricsTrackerFactory;
      secret = from.secret;
      previousSecret = from.previousSecret;
    }

    SessionStoreConfig build() {
      return new SessionStoreConfig(
          clock,
          connectionTimeout,
          maximumPoolSize,
          busyTimeout,
          maxDataBytes,
          deleteBatchSize,
          queryTimeout,
          poolMetricsTrackerFactory,
          secret,
          previousSecret);
    }
  }

  /**
   * Checks one setting as it is set, the way HikariCP checks its own: refuses null, then a value
   * outside its limit. Both errors name the setting as this record's component; settings read from
   * the environment are checked under their own names before they get here ({@link
   * #withSecretsFrom}).
   *
   * @param setting the component's name
   * @param value its value
   * @param within whether the value is within the limit
   * @param limit the limit, as in "must be {limit}"
   */
  private static <T> void checked(String setting, T value, Predicate<T> within, String limit) {
    Objects.requireNonNull(value, setting);
    if (!within.test(value)) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "SessionStoreConfig." + setting + " must be " + limit + ".");
    }
  }
}

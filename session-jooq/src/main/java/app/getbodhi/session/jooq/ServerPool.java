package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import com.zaxxer.hikari.util.DriverDataSource;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The connections of a store on a database server, built alike for every server backend: one
 * HikariCP pool for the store's work, and unpooled connections for its migrations. A backend
 * describes its driver and URL in a {@link Target}; this class applies the settings every server
 * backend shares:
 *
 * <ul>
 *   <li>user and password reach the driver as properties, never inside the JDBC URL, so neither
 *       HikariCP nor Flyway, which log the URL, can print them;
 *   <li>the pool holds at most {@link SessionStoreConfig#maximumPoolSize()} connections, waits at
 *       most {@link SessionStoreConfig#connectionTimeout()} for one, and opens its first connection
 *       before {@link #open} returns, so a server that is down, or a wrong password, fails at once
 *       with a DATABASE error that names the redacted URL and the setting, never on the first
 *       request;
 *   <li>a connection that answered with one of {@link Backend#evictOn()} is closed instead of being
 *       returned to the pool: after a failover, a server that became a read-only standby answers
 *       every write with such an error (PostgreSQL's {@code 25006}), and HikariCP, which drops only
 *       broken connections by itself, would lend it again and again;
 *   <li>the pool reports to {@link SessionStoreConfig#poolMetricsTrackerFactory()} ({@link
 *       PoolMetrics}).
 * </ul>
 *
 * <p>Migrations run over {@link #unpooled(Target) unpooled} connections: Flyway holds two at once
 * and the migration lock a third, more than a small pool could lend. Those are HikariCP's own
 * driver data source, the one the pool itself opens connections with, so they take exactly the
 * pool's driver properties, credentials as properties included.
 */
public final class ServerPool {

  private ServerPool() {}

  /**
   * What every pool of one backend has, whatever the URL.
   *
   * @param poolName the pool's name in HikariCP's logs and metrics, such as {@code
   *     bodhi-sessions-postgres}
   * @param database the database's name for messages, such as {@code PostgreSQL}
   * @param driverClassName the JDBC driver's class
   * @param evictOn the errors after which a pooled connection is closed rather than lent again,
   *     written as the profile writes its retryable errors (SQLStates and vendor codes)
   */
  public record Backend(
      String poolName,
      String database,
      String driverClassName,
      SqlBackendProfile.RetryableErrors evictOn) {

    /** Checks the components. */
    public Backend {
      Objects.requireNonNull(poolName, "poolName");
      Objects.requireNonNull(database, "database");
      Objects.requireNonNull(driverClassName, "driverClassName");
      Objects.requireNonNull(evictOn, "evictOn");
    }

    /**
     * Says what to connect to.
     *
     * @param url the parsed URL
     * @param properties the driver properties of every connection
     * @param pooledOnly driver properties for pooled connections only
     * @return the target
     */
    public Target target(DriverUrl url, Properties properties, Map<String, String> pooledOnly) {
      return new Target(this, url, properties, pooledOnly);
    }
  }

  /**
   * What a backend connects to and how.
   *
   * @param backend the driver, pool name and evicting errors
   * @param url the parsed URL: its JDBC URL, and its redacted form for messages
   * @param properties the driver properties of every connection: the URL's, user and password
   *     included, with the backend's own settings
   * @param pooledOnly driver properties the pooled connections get unless {@code properties} sets
   *     them: a socket timeout, without which a frozen server (not down, just silent) would hold
   *     every request forever; unpooled connections go without, since the migration lock waits
   *     minutes on purpose
   */
  public record Target(
      Backend backend, DriverUrl url, Properties properties, Map<String, String> pooledOnly) {

    /** Checks the components and copies the properties. */
    public Target {
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(url, "url");
      properties = copy(properties);
      pooledOnly = Map.copyOf(pooledOnly);
    }

    /**
     * Returns a copy of the properties of every connection.
     *
     * @return a copy the caller may change
     */
    @Override
    public Properties properties() {
      return copy(properties);
    }

    /** Names the pool and the redacted URL; never a property, which may be a password. */
    @Override
    public String toString() {
      return "Target[" + backend.poolName() + ", " + url.redactedUrl() + "]";
    }
  }

  /**
   * A store's connections: its pool and the unpooled connections its migrations use.
   *
   * @param pool the pool, with its first connection open; the store owns it and closes it
   * @param unpooled a new connection on each call, for migrations
   */
  public record Connections(HikariDataSource pool, DataSource unpooled) {

    /** Checks the components. */
    public Connections {
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(unpooled, "unpooled");
    }
  }

  /**
   * Opens the pool and the unpooled connections beside it, and hands both to a store, closing the
   * pool again if the store cannot be made.
   *
   * @param target the driver and URL
   * @param config pool size, timeouts, pool metrics
   * @param store makes the store, which then owns the pool
   * @param <S> the store's type
   * @return the store
   * @throws SessionServiceException of kind DATABASE when the server cannot be reached or refuses
   *     the login within the connection timeout, CONFIGURATION for a bad metrics tracker
   */
  public static <S> S connect(
      Target target, SessionStoreConfig config, Function<Connections, S> store) {
    DataSource unpooled = unpooled(target);
    HikariDataSource pool = open(target, config);
    try {
      return store.apply(new Connections(pool, unpooled));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Opens a pool; the first connection is made here, so a bad server or login fails at once.
   *
   * @param target the driver and URL
   * @param config pool size, timeouts, pool metrics
   * @return the pool, owned by the caller
   * @throws SessionServiceException of kind DATABASE when the server cannot be reached or refuses
   *     the login within the connection timeout, CONFIGURATION for a bad metrics tracker
   */
  public static HikariDataSource open(Target target, SessionStoreConfig config) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(config, "config");
    Properties driverProperties = target.properties();
    target.pooledOnly().forEach(driverProperties::putIfAbsent);
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(target.backend().poolName());
    hikari.setDriverClassName(target.backend().driverClassName());
    hikari.setJdbcUrl(target.url().jdbcUrl());
    // HikariCP hands user and password to the driver as properties and masks the password in its
    // own configuration log.
    hikari.setUsername((String) driverProperties.remove("user"));
    hikari.setPassword((String) driverProperties.remove("password"));
    hikari.setDataSourceProperties(driverProperties);
    hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
    hikari.setMaximumPoolSize(config.maximumPoolSize());
    // Positive: the pool keeps trying to open its first connection for this long, then fails,
    // rather than starting empty and failing on every later call.
    hikari.setInitializationFailTimeout(config.connectionTimeout().toMillis());
    hikari.setExceptionOverride(new EvictOn(target.backend().evictOn()));
    PoolMetrics.apply(config, hikari);
    try {
      return new HikariDataSource(hikari);
    } catch (PoolInitializationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new SessionServiceException(
          SessionServiceException.Kind.DATABASE,
          "Could not connect to the "
              + target.backend().database()
              + " session database "
              + target.url().redactedUrl()
              + " within "
              + config.connectionTimeout().toMillis()
              + " ms (SessionStoreConfig.connectionTimeout): "
              + DriverMessages.reason(cause)
              + " Check that the server is running and reachable and that the user name and"
              + " password are right.",
          cause);
    }
  }

  /**
   * Returns unpooled connections: each {@code getConnection()} opens a new session with the
   * target's {@link Target#properties() properties} (not the pooled-only ones).
   *
   * @param target the driver and URL
   * @return the data source; nothing is opened until a connection is asked for
   */
  public static DataSource unpooled(Target target) {
    return unpooled(
        target.backend().driverClassName(), target.url().jdbcUrl(), target.properties());
  }

  /**
   * Returns unpooled connections: each {@code getConnection()} opens a new session, as the driver's
   * {@code connect(jdbcUrl, properties)} does; for a backend's inspection, which opens one
   * connection with settings of its own.
   *
   * @param driverClassName the JDBC driver's class
   * @param jdbcUrl the JDBC URL, without credentials
   * @param properties the driver properties, user and password included; copied
   * @return the data source; nothing is opened until a connection is asked for
   */
  public static DataSource unpooled(String driverClassName, String jdbcUrl, Properties properties) {
    // HikariCP's driver data source, the one its pools open connections with: user and password
    // travel as properties, the URL stays free of them. The drivers' own simple data sources do
    // not fit (checked with pgjdbc 42.7 and Connector/J 3.5): PGSimpleDataSource writes every
    // property but the password into the URL it hands to DriverManager and logs at FINE, so
    // "sslpassword=<the key's password>" lands there, and it refuses a property it does not know
    // ("Unsupported property name") where its driver ignores it, as the pool does; MariaDB's
    // MariaDbDataSource takes options only inside its URL, which Connector/J does not
    // percent-decode, so a database name or certificate path holding '&' cannot pass.
    Properties copy = copy(properties);
    String user = (String) copy.remove("user");
    String password = (String) copy.remove("password");
    return new DriverDataSource(jdbcUrl, driverClassName, copy, user, password);
  }

  private static Properties copy(Properties properties) {
    Properties copy = new Properties();
    copy.putAll(Objects.requireNonNull(properties, "properties"));
    return copy;
  }

  /** Closes a connection after one of the given errors; leaves every other to HikariCP. */
  private record EvictOn(SqlBackendProfile.RetryableErrors errors) implements SQLExceptionOverride {
    // spelt out: inside this type, the bare name is SQLExceptionOverride's enum
    @java.lang.Override
    public Override adjudicate(SQLException e) {
      return errors.test(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
  }
}

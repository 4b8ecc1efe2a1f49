package app.getbodhi.session.mariadb.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.mariadb.jdbc.Driver;

/**
 * Unpooled connections straight from the MariaDB driver: each {@link #getConnection()} opens a new
 * session. Used for migrations, which must not compete with the store's pool for connections:
 * Flyway holds two at once and the migration lock a third, which a pool of size 1 or 2 would never
 * grant.
 *
 * <p>The properties hold the password; {@link #toString()} shows only the credential-free JDBC URL.
 */
public final class DirectDataSource implements DataSource {

  private final Driver driver = new Driver();
  private final String jdbcUrl;
  private final Properties properties;

  /**
   * Creates the data source.
   *
   * @param jdbcUrl a {@code jdbc:mariadb:} URL without credentials
   * @param properties driver properties, credentials included; copied
   */
  public DirectDataSource(String jdbcUrl, Properties properties) {
    this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    this.properties = new Properties();
    this.properties.putAll(properties);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = driver.connect(jdbcUrl, properties);
    if (connection == null) {
      // connect() answers null for a URL it does not handle; MariaDbUrl only builds ones it does
      throw new SQLException("The MariaDB driver does not accept " + jdbcUrl, "08001");
    }
    return connection;
  }

  /** Refused: the user is fixed when the data source is built. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the user is fixed by the session URL");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // the driver logs through java.util.logging; there is no writer to keep
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // the login timeout is the loginTimeout driver property, fixed when this is built
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger("org.mariadb.jdbc");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("DirectDataSource does not wrap a " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "DirectDataSource[" + jdbcUrl + "]";
  }
}

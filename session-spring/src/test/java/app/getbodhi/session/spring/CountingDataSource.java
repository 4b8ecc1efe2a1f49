package app.getbodhi.session.spring;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that passes every call to a real one and records the first keyword of each
 * statement it executes ({@code SELECT}, {@code INSERT}, ...), so a test can say how many
 * statements, and which, one call or one HTTP request cost.
 *
 * <p>A small copy of session-tests' counting data source: that module brings Jetty and the servlet
 * filter's kit onto the class path, which a Spring Boot test on Tomcat has no use for. Connections
 * and statements are the real ones behind {@link Proxy} wrappers; preparing, binding and reading
 * results do not count, executing does (a failed execution too: it reached the database).
 * Thread-safe.
 */
final class CountingDataSource implements DataSource {

  private static final Set<String> EXECUTE_METHODS =
      Set.of(
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "executeBatch",
          "executeLargeBatch");

  private final DataSource delegate;
  private final ConcurrentLinkedQueue<String> verbs = new ConcurrentLinkedQueue<>();

  CountingDataSource(DataSource delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** Forgets every statement recorded so far. */
  void reset() {
    verbs.clear();
  }

  /** The verb of every statement executed since the last {@link #reset()}, in order. */
  List<String> verbs() {
    return List.copyOf(verbs);
  }

  /** How many statements with this verb were executed since the last {@link #reset()}. */
  long count(String verb) {
    return verbs.stream().filter(verb::equals).count();
  }

  static String verb(String sql) {
    String trimmed = sql == null ? "" : sql.stripLeading();
    int end = 0;
    while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end))) {
      end++;
    }
    return trimmed.substring(0, end).toUpperCase(Locale.ROOT);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  private Connection wrap(Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          Object result = invoke(connection, method, args);
          String name = method.getName();
          if (result instanceof Statement statement
              && (name.equals("prepareStatement")
                  || name.equals("prepareCall")
                  || name.equals("createStatement"))) {
            String sql = args != null && args.length > 0 ? (String) args[0] : null;
            Class<?> type =
                name.equals("prepareCall")
                    ? java.sql.CallableStatement.class
                    : name.equals("prepareStatement") ? PreparedStatement.class : Statement.class;
            return wrap(statement, type, sql);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private Object wrap(Statement statement, Class<?> type, String preparedSql) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (!EXECUTE_METHODS.contains(method.getName())) {
            return invoke(statement, method, args);
          }
          // a plain Statement gets its SQL with execute(sql); a prepared one got it earlier
          String sql =
              args != null && args.length > 0 && args[0] instanceof String text
                  ? text
                  : preparedSql;
          try {
            return invoke(statement, method, args);
          } finally {
            verbs.add(verb(sql));
          }
        };
    return Proxy.newProxyInstance(
        CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}

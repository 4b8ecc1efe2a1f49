package app.getbodhi.session.tck;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that passes every call to a real one and records each statement it runs, so
 * a test can assert how many statements (and which) one HTTP request cost.
 *
 * <p>A statement counts once per execution: {@code execute}, {@code executeQuery}, {@code
 * executeUpdate}, {@code executeLargeUpdate} and the batch variants, on plain, prepared and
 * callable statements. Preparing a statement, binding parameters and reading results do not count.
 * Nothing is faked: connections, statements and results are the real ones, reached through {@link
 * Proxy} wrappers.
 *
 * <pre>{@code
 * CountingDataSource counted = new CountingDataSource(pool);
 * SessionStore store = new SqliteSessionStore(counted, config);
 * counted.reset();
 * ... one request ...
 * assertThat(counted.verbs()).containsExactly("SELECT", "UPDATE");
 * }</pre>
 *
 * <p>Thread-safe: statements from concurrent requests are all recorded, in completion order.
 */
public final class CountingDataSource implements DataSource {

  private static final Set<String> EXECUTE_METHODS =
      Set.of(
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "executeBatch",
          "executeLargeBatch");

  private final DataSource delegate;
  private final ConcurrentLinkedQueue<String> executed = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicLong borrowed =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Wraps a data source.
   *
   * @param delegate the real data source; the caller keeps owning it
   */
  public CountingDataSource(DataSource delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Returns the wrapped data source.
   *
   * @return the real data source
   */
  public DataSource delegate() {
    return delegate;
  }

  /** Forgets every statement and connection recorded so far. */
  public void reset() {
    executed.clear();
    borrowed.set(0);
  }

  /**
   * Returns how many connections were borrowed since the last {@link #reset()}.
   *
   * @return the count
   */
  public long connections() {
    return borrowed.get();
  }

  /**
   * Returns the SQL of every statement run since the last {@link #reset()}, in the order they
   * finished executing.
   *
   * @return a copy of the log
   */
  public List<String> statements() {
    return List.copyOf(executed);
  }

  /**
   * Returns the first keyword of every statement run since the last {@link #reset()}, upper case:
   * {@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE}, ...
   *
   * @return one verb per statement, in order
   */
  public List<String> verbs() {
    List<String> verbs = new ArrayList<>();
    for (String sql : executed) {
      verbs.add(verb(sql));
    }
    return verbs;
  }

  /**
   * Returns the first keyword of a statement, upper case.
   *
   * @param sql the statement
   * @return such as {@code SELECT}
   */
  /**
   * Counts the executed statements that began with one keyword.
   *
   * @param verb such as {@code SELECT}
   * @return how many ran since the last {@link #reset()}
   */
  public long count(String verb) {
    return verbs().stream().filter(verb::equals).count();
  }

  public static String verb(String sql) {
    String trimmed = sql.stripLeading();
    int end = 0;
    while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end))) {
      end++;
    }
    return trimmed.substring(0, end).toUpperCase(Locale.ROOT);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrapConnection(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrapConnection(delegate.getConnection(username, password));
  }

  private Connection wrapConnection(Connection connection) {
    borrowed.incrementAndGet();
    return (Connection)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection));
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final Connection connection;

    ConnectionHandler(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object result = invokeReal(connection, method, args);
      String name = method.getName();
      if (result instanceof CallableStatement callable && name.equals("prepareCall")) {
        return wrapStatement(callable, CallableStatement.class, (String) args[0]);
      }
      if (result instanceof PreparedStatement prepared && name.equals("prepareStatement")) {
        return wrapStatement(prepared, PreparedStatement.class, (String) args[0]);
      }
      if (result instanceof Statement statement && name.equals("createStatement")) {
        return wrapStatement(statement, Statement.class, null);
      }
      return result;
    }
  }

  private Object wrapStatement(Statement statement, Class<?> type, String preparedSql) {
    return Proxy.newProxyInstance(
        CountingDataSource.class.getClassLoader(),
        new Class<?>[] {type},
        new StatementHandler(statement, preparedSql));
  }

  private final class StatementHandler implements InvocationHandler {
    private final Statement statement;
    private final String preparedSql;

    StatementHandler(Statement statement, String preparedSql) {
      this.statement = statement;
      this.preparedSql = preparedSql;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (!EXECUTE_METHODS.contains(method.getName())) {
        return invokeReal(statement, method, args);
      }
      // a plain Statement passes its SQL to execute(sql); a prepared one was given it earlier
      String sql =
          args != null && args.length > 0 && args[0] instanceof String text ? text : preparedSql;
      try {
        return invokeReal(statement, method, args);
      } finally {
        // failed statements count too: they reached the database
        executed.add(String.valueOf(sql));
      }
    }
  }

  private static Object invokeReal(Object target, Method method, Object[] args) throws Throwable {
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
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "CountingDataSource[" + delegate + "]";
  }
}

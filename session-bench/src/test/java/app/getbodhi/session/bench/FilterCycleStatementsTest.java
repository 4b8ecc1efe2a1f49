package app.getbodhi.session.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.mariadb.MariaDbSessionStore;
import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.JsonOnlyAttributeCodec;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.web.SessionManagerLayer;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one request through Spring Session's filter costs in statements, for ours and for Spring
 * Session JDBC, on a real SQLite file (and ours on MariaDB, the fixture's server): the reason
 * behind the ratios {@link SpringFilterBenchmark} measures. Each side runs over a pool whose
 * statements are counted by their first word.
 */
class FilterCycleStatementsTest {

  @TempDir Path dir;

  /**
   * Statements executed through the pool, by verb (SELECT, UPDATE, ...), and explicit commits
   * (COMMIT): a statement in auto-commit mode commits by itself and is not counted twice.
   */
  private final Map<String, Integer> executed = new TreeMap<>();

  @Test
  void oursReadsTheSessionWithOneSelectAndWritesOneUpdateWhenAnAttributeChanges() {
    try (HikariDataSource pool = pool("ours.sqlite", "");
        SqliteSessionStore store = new SqliteSessionStore(counted(pool))) {
      assertOneSelectAndOneUpdateWhenAnAttributeChanges(store);
    }
  }

  @Test
  void oursOnMariaDbIsTheSameOneSelectAndOneUpdate() {
    try (MariaDbDatabase database = MariaDbFixture.freshDatabase();
        HikariDataSource pool =
            MariaDbSessionStore.dataSource(
                database.url(), SessionStoreConfig.defaults().withMaximumPoolSize(2));
        MariaDbSessionStore store = new MariaDbSessionStore(counted(pool))) {
      assertThat(store.backendName()).isEqualTo("mariadb");
      assertOneSelectAndOneUpdateWhenAnAttributeChanges(store);
    }
  }

  /** Migrates the store, saves a session and counts a read-only and a changing request on it. */
  private void assertOneSelectAndOneUpdateWhenAnAttributeChanges(ManagedSessionStore store) {
    store.migrate();
    SessionId id = SessionId.generate();
    store.save(new SessionRecord(id, BenchData.data("user-1", 1, 0), BenchData.liveExpiry()));
    FilterCycle cycle =
        FilterCycle.ours(
            new BodhiSessionRepository(
                store, SessionManagerLayer.of(store), new JsonOnlyAttributeCodec()));

    executed.clear();
    assertThat(cycle.readOnly(id.value())).isEqualTo(0L);
    // the filter's second lookup, after the flush committed the session, costs nothing
    assertThat(executed).isEqualTo(Map.of("SELECT", 1));

    executed.clear();
    assertThat(cycle.changing(id.value())).isEqualTo(1L);
    assertThat(executed).isEqualTo(Map.of("SELECT", 1, "UPDATE", 1));

    assertThat(cycle.readOnly(id.value())).isEqualTo(1L);
  }

  @Test
  void springJdbcSelectsTwiceAndUpdatesTheAccessTimeInThreeTransactionsOnEveryRequest()
      throws Exception {
    try (HikariDataSource pool = pool("spring.sqlite", "?foreign_keys=true")) {
      DataSource counted = counted(pool);
      Fixtures.createSpringSchema(BenchDb.of(BenchDb.Backend.SQLITE, "unused"), pool);
      String id = SessionId.generate().value();
      Fixtures.insertSpring(
          pool,
          1,
          i ->
              new Fixtures.SpringRow(
                  id,
                  "user-1",
                  System.currentTimeMillis(),
                  BenchData.springAttributes("user-1", 1, 0)));
      FilterCycle cycle = FilterCycle.spring(Impl.Spring.repository(counted));

      executed.clear();
      assertThat(cycle.readOnly(id)).isEqualTo(0L);
      // the load, the last-access time written back when the flush commits the session, and the
      // filter's second lookup when it commits it again: each in a transaction of its own
      assertThat(executed).isEqualTo(Map.of("SELECT", 2, "UPDATE", 1, "COMMIT", 3));

      executed.clear();
      assertThat(cycle.changing(id)).isEqualTo(1L);
      // and the changed attribute's row
      assertThat(executed).isEqualTo(Map.of("SELECT", 2, "UPDATE", 2, "COMMIT", 3));

      assertThat(cycle.readOnly(id)).isEqualTo(1L);
    }
  }

  @Test
  void aRequestWhoseCookieNamesNoSessionFailsInsteadOfTimingAMiss() {
    try (HikariDataSource pool = pool("miss.sqlite", "");
        SqliteSessionStore store = new SqliteSessionStore(pool)) {
      store.migrate();
      FilterCycle cycle =
          FilterCycle.ours(
              new BodhiSessionRepository(
                  store, SessionManagerLayer.of(store), new JsonOnlyAttributeCodec()));

      assertThatThrownBy(() -> cycle.readOnly(SessionId.generate().value()))
          .hasStackTraceContaining("found no session");
    }
  }

  private HikariDataSource pool(String file, String query) {
    return SqliteSessionStore.dataSource(
        "jdbc:sqlite:" + dir.resolve(file) + query,
        SessionStoreConfig.defaults().withMaximumPoolSize(2));
  }

  /** The pool, with every statement it executes counted in {@link #executed}. */
  private DataSource counted(DataSource pool) {
    return proxy(
        DataSource.class,
        pool,
        (method, args, result) ->
            method.getName().equals("getConnection")
                ? proxy(Connection.class, result, this::onConnection)
                : result);
  }

  private Object onConnection(Method method, Object[] args, Object result) {
    if (method.getName().equals("commit")) {
      count("COMMIT");
    }
    if (method.getName().equals("prepareStatement")) {
      String sql = (String) args[0];
      return proxy(
          PreparedStatement.class,
          result,
          (m, a, r) -> {
            if (m.getName().startsWith("execute")) {
              count(sql);
            }
            return r;
          });
    }
    if (method.getName().equals("createStatement")) {
      return proxy(
          Statement.class,
          result,
          (m, a, r) -> {
            if (m.getName().startsWith("execute") && a != null && a[0] instanceof String sql) {
              count(sql);
            }
            return r;
          });
    }
    return result;
  }

  private void count(String sql) {
    String verb = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    executed.merge(verb, 1, Integer::sum);
  }

  /** What a proxy does with a call's result, after calling the target. */
  @FunctionalInterface
  private interface After {
    Object apply(Method method, Object[] args, Object result);
  }

  private static <T> T proxy(Class<T> type, Object target, After after) {
    InvocationHandler handler =
        (self, method, args) -> {
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          return after.apply(method, args, result);
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }
}

package app.getbodhi.session.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After a failover the pool may hold connections to a server that became a read-only standby; each
 * write on them fails with SQLState 25006, which is not a broken connection to HikariCP. The pool
 * must close such a connection rather than lend it again, so that the next call opens a new one
 * (which, with a multi-host URL, finds the new primary). Made real here with a session that has
 * {@code default_transaction_read_only} on: PostgreSQL answers its writes exactly as a standby's.
 */
class PgReadOnlyServerTest extends OnAFreshSchema {

  @BeforeEach
  void migrate() {
    try (PgSessionStore store = PgSessionStore.connect(schema.url())) {
      store.migrate();
    }
  }

  @Test
  void thePoolDropsAConnectionWhoseServerRefusesWritesAndTheNextWriteSucceeds()
      throws SQLException {
    try (HikariDataSource pool =
            PgSessionStore.dataSource(
                schema.url(), SessionStoreConfig.defaults().withMaximumPoolSize(1));
        PgSessionStore store = new PgSessionStore(pool)) {
      int readOnlySession;
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("SET SESSION default_transaction_read_only = on");
        readOnlySession = backendPid(statement);
      }
      SessionRecord first = new SessionRecord(SessionId.generate(), Map.of("n", 1L), inAnHour());

      assertThatThrownBy(() -> store.save(first))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE);
                assertThat(e.getMessage()).contains("25006");
              });

      SessionRecord second = new SessionRecord(SessionId.generate(), Map.of("n", 2L), inAnHour());
      store.save(second);
      assertThat(store.load(second.id())).map(SessionRecord::data).contains(Map.of("n", 2L));
      assertThat(store.load(first.id())).isEmpty();
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        assertThat(backendPid(statement)).isNotEqualTo(readOnlySession);
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }
  }

  @Test
  void keepsAConnectionAfterAnErrorOfTheStatementItself() throws SQLException {
    try (HikariDataSource pool =
        PgSessionStore.dataSource(
            schema.url(), SessionStoreConfig.defaults().withMaximumPoolSize(1))) {
      int session;
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        session = backendPid(statement);
        assertThatThrownBy(() -> statement.execute("SELECT * FROM no_such_table"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
      }
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        assertThat(backendPid(statement)).isEqualTo(session);
      }
    }
  }

  private static Instant inAnHour() {
    return Instant.now().plusSeconds(3600);
  }

  private static int backendPid(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}

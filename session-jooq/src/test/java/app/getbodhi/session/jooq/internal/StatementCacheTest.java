package app.getbodhi.session.jooq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/** The per-connection statement cache, on a real HikariCP pool over a real SQLite file. */
class StatementCacheTest {

  @TempDir Path dir;

  private HikariDataSource pool;
  private final StatementCache cache = StatementCache.unwrapping(SQLiteConnection.class);

  /**
   * A plain pool, not session-sqlite's fixture: session-sqlite builds on this module, so this
   * module's tests cannot depend on its test-jar.
   */
  private HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("cache.sqlite"));
    config.setMaximumPoolSize(size);
    pool = new HikariDataSource(config);
    return pool;
  }

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void aConnectionBorrowedAgainGetsTheStatementItPreparedBeforeStillOpen() throws Exception {
    HikariDataSource pool = pool(1);
    PreparedStatement first;
    try (Connection connection = pool.getConnection()) {
      first = cache.statement(connection, "SELECT 1");
    }
    try (Connection connection = pool.getConnection()) {
      assertThat(cache.statement(connection, "SELECT 1")).isSameAs(first);
      assertThat(cache.statement(connection, "SELECT 2")).isNotSameAs(first);
      assertThat(first.isClosed()).as("returning the proxy to the pool left it open").isFalse();
      try (ResultSet rows = first.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void twoConnectionsInUseAtOnceNeverShareAStatement() throws Exception {
    HikariDataSource pool = pool(2);
    try (Connection one = pool.getConnection();
        Connection two = pool.getConnection()) {
      assertThat(cache.statement(one, "SELECT 1")).isNotSameAs(cache.statement(two, "SELECT 1"));
    }
    assertThat(cache.connections()).isEqualTo(2);
  }

  @Test
  void discardingAConnectionClosesItsStatementsAndTheNextCallPreparesAfresh() throws Exception {
    HikariDataSource pool = pool(1);
    try (Connection connection = pool.getConnection()) {
      PreparedStatement before = cache.statement(connection, "SELECT 1");
      cache.discard(connection);
      assertThat(before.isClosed()).isTrue();
      PreparedStatement after = cache.statement(connection, "SELECT 1");
      assertThat(after).isNotSameAs(before);
      assertThat(after.isClosed()).isFalse();
    }
  }

  @Test
  void connectionsClosedSinceAreForgottenWhenANewOneIsFirstSeen() throws Exception {
    // no pool: every connection is a new physical one, closed at once, as a pool closes one
    // after its lifetime or an error (HikariCP does that on another thread, which a test could
    // only wait for)
    SQLiteDataSource direct = new SQLiteDataSource();
    direct.setUrl("jdbc:sqlite:" + dir.resolve("direct.sqlite"));
    PreparedStatement old;
    try (Connection connection = direct.getConnection()) {
      old = cache.statement(connection, "SELECT 1");
    }
    try (Connection connection = direct.getConnection()) {
      assertThat(cache.statement(connection, "SELECT 1")).isNotSameAs(old);
      assertThat(cache.connections()).as("only the open connection is kept").isEqualTo(1);
    }
  }
}

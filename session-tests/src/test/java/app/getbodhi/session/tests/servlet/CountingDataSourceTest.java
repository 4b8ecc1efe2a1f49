package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.CountingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The statement counter the servlet kit relies on, on a real SQLite database. */
class CountingDataSourceTest {

  private SqliteFixture database;
  private CountingDataSource counted;

  @BeforeEach
  void open() {
    database = SqliteFixture.tempFile();
    database.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    counted = new CountingDataSource(database.dataSource());
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void each_execution_counts_once_and_preparing_binding_and_reading_do_not() throws SQLException {
    try (Connection connection = counted.getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO t (v) VALUES (?)");
        PreparedStatement select = connection.prepareStatement("SELECT v FROM t")) {
      insert.setString(1, "a");
      insert.executeUpdate();
      insert.setString(1, "b");
      insert.execute();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          rows.getString(1);
        }
      }
    }

    assertThat(counted.verbs()).containsExactly("INSERT", "INSERT", "SELECT");
    assertThat(counted.statements())
        .containsExactly(
            "INSERT INTO t (v) VALUES (?)", "INSERT INTO t (v) VALUES (?)", "SELECT v FROM t");
    assertThat(database.queryLong("SELECT count(*) FROM t")).isEqualTo(2);
  }

  @Test
  void plain_statements_count_with_the_sql_they_ran_and_reset_forgets() throws SQLException {
    try (Connection connection = counted.getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("  update t SET v = 'x'");
    }
    assertThat(counted.verbs()).containsExactly("UPDATE");

    counted.reset();

    assertThat(counted.statements()).isEmpty();
  }

  @Test
  void a_failing_statement_still_counts_and_its_error_reaches_the_caller() throws SQLException {
    try (Connection connection = counted.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("INSERT INTO t (id) VALUES (?)")) {
      statement.setInt(1, 1);
      statement.executeUpdate();
      assertThatThrownBy(statement::executeUpdate).isInstanceOf(SQLException.class);
    }

    assertThat(counted.verbs()).containsExactly("INSERT", "INSERT");
  }
}

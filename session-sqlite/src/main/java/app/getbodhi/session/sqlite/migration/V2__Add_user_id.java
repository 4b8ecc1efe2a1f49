package app.getbodhi.session.sqlite.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Adds the indexed {@code user_id} column. A Java migration because SQLite has no {@code ADD COLUMN
 * IF NOT EXISTS}: a legacy table may or may not have the column already, and its rows must stay.
 */
public class V2__Add_user_id extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    try (Statement statement = connection.createStatement()) {
      if (!hasUserIdColumn(statement)) {
        statement.execute("ALTER TABLE bodhi_sessions ADD COLUMN user_id TEXT");
      }
      statement.execute(
          "CREATE INDEX IF NOT EXISTS idx_bodhi_sessions_user_id ON bodhi_sessions (user_id)");
    }
  }

  private static boolean hasUserIdColumn(Statement statement) throws SQLException {
    try (ResultSet columns =
        statement.executeQuery(
            "SELECT 1 FROM pragma_table_info('bodhi_sessions') WHERE name = 'user_id'")) {
      return columns.next();
    }
  }
}

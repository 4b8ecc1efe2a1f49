package app.getbodhi.session.tests.servlet;

import app.getbodhi.session.tests.servlet.StolenDatabaseContract.Stolen;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What any account that may read the session table takes from a SQL server: every column of every
 * row of {@code bodhi_sessions}, as text, and binary columns also as the driver's bytes: what a
 * dump of the table holds.
 */
final class TableRows {

  /** The JDBC types read as bytes as well as text: the session data's column. */
  private static final Set<Integer> BINARY =
      Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB);

  private TableRows() {}

  /**
   * Reads every column of every row as text, and binary ones as bytes too; SQL NULLs have neither.
   *
   * @param connection a connection to the test's database
   * @return one piece per non-null cell and form, named by row and column
   * @throws SQLException when the table cannot be read
   */
  static List<Stolen> read(Connection connection) throws SQLException {
    List<Stolen> stolen = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM bodhi_sessions")) {
      ResultSetMetaData columns = rows.getMetaData();
      int row = 0;
      while (rows.next()) {
        row++;
        for (int column = 1; column <= columns.getColumnCount(); column++) {
          String where = "row " + row + ", column " + columns.getColumnName(column);
          // drivers differ on which other types they hand out as bytes; those are read as text
          byte[] bytes =
              BINARY.contains(columns.getColumnType(column)) ? rows.getBytes(column) : null;
          if (bytes != null) {
            stolen.add(new Stolen(where + " as bytes", bytes));
          }
          String text = rows.getString(column);
          if (text != null) {
            stolen.add(new Stolen(where + " as text", text.getBytes(StandardCharsets.UTF_8)));
          }
        }
      }
    }
    return stolen;
  }
}

package app.getbodhi.session.tck;

import java.util.Set;

/**
 * A {@link TestDatabase} on a server that has the SQL standard's {@code information_schema}
 * (PostgreSQL, MariaDB): its tables and columns are listed from there, in the schema (PostgreSQL)
 * or database (MariaDB) that {@link #name()} names.
 */
public abstract class InformationSchemaDatabase extends TestDatabase {

  /**
   * For a backend's fixture.
   *
   * @param backendName what {@link #backendName()} returns, such as {@code postgres}
   */
  protected InformationSchemaDatabase(String backendName) {
    super(backendName);
  }

  /**
   * Returns the schema's name, as {@code information_schema} calls it ({@code table_schema}).
   *
   * @return the name
   */
  public abstract String name();

  /**
   * Lists the base tables of the schema.
   *
   * @return table names, lower case
   */
  @Override
  public Set<String> tableNames() {
    return lowerCaseSet(
        "SELECT table_name FROM information_schema.tables"
            + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
        name());
  }

  /**
   * Lists the columns of a table.
   *
   * @param table the table's name
   * @return column names, lower case, in the table's order; empty when there is no such table
   */
  @Override
  public Set<String> columnNames(String table) {
    return lowerCaseSet(
        "SELECT column_name FROM information_schema.columns"
            + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        name(),
        table);
  }
}

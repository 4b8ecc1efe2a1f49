package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.tck.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A stolen PostgreSQL database, on PostgreSQL ({@code BODHI_TEST_PG_URL} when set, else an embedded
 * server). What any account that may read the table gets: every column of every row of {@code
 * bodhi_sessions}, both as the driver's bytes and as text.
 *
 * <p>When the test's role is a superuser (the embedded server's is), also what a copy of the
 * server's data folder holds: the files of the table, its TOAST table and its indexes (after a
 * {@code CHECKPOINT}, so that they hold every page, dead row versions included), and every byte of
 * write-ahead log written since the previous steal, read before the checkpoint may recycle it.
 */
class PgStolenDatabaseTest extends StolenDatabaseContract {

  private boolean superuser;
  private long walReadUpTo;
  private long walSegmentSize;
  private String timeline;

  @Override
  protected FilterHarness newHarness() {
    return BackendHarnesses.postgres();
  }

  @Override
  protected void beforeWorkload(TestDatabase database) {
    superuser =
        database
            .queryStrings("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            .equals(List.of("t"));
    if (System.getenv(PostgresFixture.URL_ENV) == null) {
      // the embedded server's role may read the server's files: reading only rows there would
      // quietly test less
      assertThat(superuser).as("the embedded server's role is a superuser").isTrue();
    }
    if (superuser) {
      walSegmentSize =
          database.queryLong(
              "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'");
      timeline =
          database
              .queryStrings("SELECT pg_walfile_name(pg_current_wal_lsn())")
              .get(0)
              .substring(0, 8);
      walReadUpTo = lsn(database.queryStrings("SELECT pg_current_wal_flush_lsn()").get(0));
    }
  }

  @Override
  protected List<Stolen> stealWhileRunning(TestDatabase database) throws SQLException {
    List<Stolen> stolen = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection()) {
      stolen.addAll(TableRows.read(connection));
      if (superuser) {
        stolen.addAll(writeAheadLog(connection));
        try (Statement statement = connection.createStatement()) {
          statement.execute("CHECKPOINT");
        }
        // the workload is paused: what the log holds from here on is the checkpoint and other
        // tests' work until the next step, and the checkpoint may recycle older segments
        walReadUpTo = flushLsn(connection);
        stolen.addAll(relationFiles(connection));
      }
    }
    assertThat(stolen).as("what the table gave").isNotEmpty();
    return stolen;
  }

  /** The log written since the last read, segment by segment. */
  private List<Stolen> writeAheadLog(Connection connection) throws SQLException {
    flushWriteAheadLog(connection);
    List<Stolen> stolen = new ArrayList<>();
    long upTo = flushLsn(connection);
    long segmentsPerId = 0x1_0000_0000L / walSegmentSize;
    for (long at = walReadUpTo; at < upTo; ) {
      long segment = at / walSegmentSize;
      long offset = at % walSegmentSize;
      long length = Math.min(walSegmentSize - offset, upTo - at);
      String name =
          String.format("%s%08X%08X", timeline, segment / segmentsPerId, segment % segmentsPerId);
      stolen.add(
          new Stolen(
              "pg_wal/" + name + " from byte " + offset,
              readServerFile(connection, "pg_wal/" + name, offset, length)));
      at += length;
    }
    walReadUpTo = upTo;
    return stolen;
  }

  /** The files of the table, its TOAST table and every index of either. */
  private static List<Stolen> relationFiles(Connection connection) throws SQLException {
    List<Stolen> stolen = new ArrayList<>();
    String sql =
        "WITH t AS (SELECT oid, reltoastrelid FROM pg_class WHERE oid = 'bodhi_sessions'::regclass)"
            + " SELECT c.relname, pg_relation_filepath(c.oid) FROM pg_class c, t"
            + " WHERE c.oid IN (t.oid, t.reltoastrelid)"
            + " OR c.oid IN (SELECT indexrelid FROM pg_index"
            + " WHERE indrelid IN (t.oid, t.reltoastrelid))";
    List<String[]> files = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        files.add(new String[] {rows.getString(1), rows.getString(2)});
      }
    }
    assertThat(files).as("the table's files").hasSizeGreaterThanOrEqualTo(3);
    for (String[] file : files) {
      stolen.add(
          new Stolen(
              "the file of " + file[0] + " (" + file[1] + ")",
              readServerFile(connection, file[1], 0, -1)));
    }
    return stolen;
  }

  private static byte[] readServerFile(Connection connection, String path, long offset, long length)
      throws SQLException {
    String sql =
        length < 0 ? "SELECT pg_read_binary_file(?)" : "SELECT pg_read_binary_file(?, ?, ?)";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, path);
      if (length >= 0) {
        statement.setLong(2, offset);
        statement.setLong(3, length);
      }
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getBytes(1);
      }
    }
  }

  /**
   * Writes out the log up to now. The fixture's server commits asynchronously, so the workload's
   * last records may still wait in memory; one commit that writes to the log and waits for it
   * writes out all before it. The temporary table is its write, gone with the commit.
   */
  private static void flushWriteAheadLog(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL synchronous_commit = on");
      statement.execute("CREATE TEMPORARY TABLE bodhi_test_wal_flush (x INTEGER) ON COMMIT DROP");
      connection.commit();
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static long flushLsn(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_current_wal_flush_lsn()")) {
      result.next();
      return lsn(result.getString(1));
    }
  }

  /** Reads an LSN's text, {@code X/Y} in hex, as the byte position in the log it names. */
  private static long lsn(String text) {
    int slash = text.indexOf('/');
    return (Long.parseLong(text.substring(0, slash), 16) << 32)
        | Long.parseLong(text.substring(slash + 1), 16);
  }
}

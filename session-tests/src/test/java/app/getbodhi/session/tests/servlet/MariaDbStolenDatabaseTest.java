package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import app.getbodhi.session.mariadb.testing.MariaDbServer;
import app.getbodhi.session.tck.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A stolen MariaDB database, on MariaDB ({@code BODHI_TEST_MARIADB_URL} when set, else an embedded
 * server). What any account that may read the table gets, as a dump of it holds: every column of
 * every row of {@code bodhi_sessions}, both as the driver's bytes and as text.
 *
 * <p>On the embedded server, whose data directory is on this machine, also what a copy of that
 * directory holds: the table's own tablespace file ({@code bodhi_sessions.ibd}, its rows and
 * indexes, after {@code FLUSH TABLES ... FOR EXPORT} has written out every changed page, delete-
 * marked rows included) and every file at the top of the directory: the redo log ({@code
 * ib_logfile0}, which InnoDB writes at each commit and which holds every change to every page, the
 * undo pages' included), the system and undo tablespaces, and a binary log if the server kept one.
 * Of those only what changed since the previous step is kept ({@link ChangedBlocks}): the rest was
 * there before the workload began.
 */
class MariaDbStolenDatabaseTest extends StolenDatabaseContract {

  private static final String LOG_FILE = "ib_logfile0";

  private final ChangedBlocks serverFiles = new ChangedBlocks();
  private MariaDbDatabase database;
  private Path dataDirectory;
  private Path tableFile;

  @Override
  protected FilterHarness newHarness() {
    return BackendHarnesses.mariadb();
  }

  @Override
  protected void beforeWorkload(TestDatabase opened) throws IOException {
    database = (MariaDbDatabase) opened;
    if (!MariaDbServer.shared().embedded()) {
      // a configured server's files are on another machine, or not this test's to read
      return;
    }
    dataDirectory = Path.of(database.queryStrings("SELECT @@datadir").get(0));
    tableFile = dataDirectory.resolve(database.name()).resolve("bodhi_sessions.ibd");
    // the embedded server's files are readable here: reading only rows would quietly test less
    assertThat(tableFile).as("the table's own tablespace file").isRegularFile();
    serverFiles.baseline(serverFiles());
  }

  @Override
  protected List<Stolen> stealWhileRunning(TestDatabase opened) throws SQLException, IOException {
    List<Stolen> stolen = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection()) {
      stolen.addAll(TableRows.read(connection));
      if (tableFile != null) {
        try (Statement statement = connection.createStatement()) {
          // writes the table's changed pages to its file; the workload is paused meanwhile
          statement.execute("FLUSH TABLES bodhi_sessions FOR EXPORT");
          statement.execute("UNLOCK TABLES");
        }
      }
    }
    assertThat(stolen).as("what the table gave").isNotEmpty();
    if (tableFile != null) {
      List<Stolen> files = serverFiles.changedSince(serverFiles());
      // every step writes sessions: so the log and the table's file must have changed
      assertThat(files)
          .extracting(Stolen::where)
          .anySatisfy(where -> assertThat(where).startsWith(LOG_FILE + " "))
          .anySatisfy(where -> assertThat(where).startsWith(tableFile.getFileName() + " "));
      stolen.addAll(files);
    }
    return stolen;
  }

  /** The table's file and every regular file at the top of the data directory. */
  private List<Path> serverFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(tableFile);
    try (Stream<Path> top = Files.list(dataDirectory)) {
      top.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    assertThat(files).as("the server's files").contains(dataDirectory.resolve(LOG_FILE));
    return files;
  }
}

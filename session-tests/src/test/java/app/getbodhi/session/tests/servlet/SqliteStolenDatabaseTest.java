package app.getbodhi.session.tests.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stolen SQLite database: the raw bytes of the database file and of its write-ahead log (and
 * shared-memory index or rollback journal, when there), read while the server runs, as a copy of
 * the folder would take them, and again once every connection is closed. The WAL is read as it is:
 * nothing checkpoints it first, so it holds every page version the workload wrote.
 */
class SqliteStolenDatabaseTest extends StolenDatabaseContract {

  /** The files SQLite keeps beside the database file. */
  private static final List<String> SIDE_FILES = List.of("-wal", "-shm", "-journal");

  @TempDir Path folder;

  private Path file;

  @Override
  protected FilterHarness newHarness() {
    file = folder.resolve(SqliteFixture.FILE_NAME);
    // a file the test owns, so that it outlives the harness and can be read once it is closed
    return BackendHarnesses.sqlite(SqliteFixture.at(file));
  }

  @Override
  protected List<Stolen> stealWhileRunning(TestDatabase database) throws IOException {
    List<Stolen> stolen = readFiles();
    // the log is where a running WAL database keeps its newest pages: it must be among them
    assertThat(stolen).extracting(Stolen::where).contains(file.getFileName() + "-wal");
    return stolen;
  }

  @Override
  protected List<Stolen> stealAfterClose() throws IOException {
    assertThat(file).as("the database file, once closed").isRegularFile();
    return readFiles();
  }

  private List<Stolen> readFiles() throws IOException {
    List<Stolen> stolen = new ArrayList<>();
    stolen.add(read(file));
    for (String suffix : SIDE_FILES) {
      Path side = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(side)) {
        stolen.add(read(side));
      }
    }
    return stolen;
  }

  private static Stolen read(Path path) throws IOException {
    return new Stolen(path.getFileName().toString(), Files.readAllBytes(path));
  }
}

package app.getbodhi.session.tests.servlet;

import app.getbodhi.session.tests.servlet.StolenDatabaseContract.Stolen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server's files gained since the last look: each file is read whole every time and compared
 * with the previous read in blocks of {@value #BLOCK_BYTES} bytes, and only the runs of blocks that
 * changed (or are new) are kept, with one block more on each side so that nothing written across a
 * run's edge is cut. A thief who copies the files after every step of a workload holds exactly the
 * bytes the workload wrote, and the search has far less to go through than whole copies of a large
 * circular log.
 *
 * <p>Not thread-safe; one per test.
 */
final class ChangedBlocks {

  /** The unit of comparison: InnoDB's page and log block sizes divide it. */
  static final int BLOCK_BYTES = 4096;

  private final Map<Path, byte[]> previous = new HashMap<>();

  /**
   * Remembers what the files hold now: the state before the workload.
   *
   * @param files the files; a missing one counts as empty
   * @throws IOException when a file cannot be read
   */
  void baseline(List<Path> files) throws IOException {
    for (Path file : files) {
      previous.put(file, read(file));
    }
  }

  /**
   * Returns the runs of blocks that changed since the last call (the whole of a file not seen
   * before).
   *
   * @param files the files; a missing one counts as empty
   * @return one piece per run, named by file and byte range
   * @throws IOException when a file cannot be read
   */
  List<Stolen> changedSince(List<Path> files) throws IOException {
    List<Stolen> stolen = new ArrayList<>();
    for (Path file : files) {
      byte[] now = read(file);
      byte[] before = previous.getOrDefault(file, new byte[0]);
      previous.put(file, now);
      int blocks = (now.length + BLOCK_BYTES - 1) / BLOCK_BYTES;
      for (int block = 0; block < blocks; ) {
        if (!changed(before, now, block)) {
          block++;
          continue;
        }
        int end = block + 1;
        while (end < blocks && changed(before, now, end)) {
          end++;
        }
        int from = Math.max(0, block - 1) * BLOCK_BYTES;
        int to = Math.min(now.length, (end + 1) * BLOCK_BYTES);
        stolen.add(
            new Stolen(
                file.getFileName() + " bytes " + from + ".." + to,
                Arrays.copyOfRange(now, from, to)));
        block = end;
      }
    }
    return stolen;
  }

  private static boolean changed(byte[] before, byte[] now, int block) {
    int from = block * BLOCK_BYTES;
    int to = Math.min(now.length, from + BLOCK_BYTES);
    return to > before.length || Arrays.mismatch(before, from, to, now, from, to) >= 0;
  }

  private static byte[] read(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
  }
}

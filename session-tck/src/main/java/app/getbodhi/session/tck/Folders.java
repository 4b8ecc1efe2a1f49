package app.getbodhi.session.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Folder helpers for tests that check what a store or a tool leaves on disk: what a read-only look
 * must not create, and a folder a SQLite file cannot be created in.
 */
public final class Folders {

  private Folders() {}

  /**
   * Lists every name under a folder, to compare before and after an operation that must create
   * nothing.
   *
   * @param dir the folder
   * @return the relative paths, sorted
   * @throws IOException when the folder cannot be read
   */
  public static List<String> contents(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.map(dir::relativize).map(Path::toString).sorted().toList();
    }
  }

  /**
   * Makes a folder this user cannot write to: a folder without write permission, or, for root (whom
   * permissions do not stop), a folder of the kernel's process file system.
   *
   * @param dir where to make it
   * @return the folder
   * @throws IOException when it cannot be made
   */
  public static Path unwritableFolder(Path dir) throws IOException {
    Path folder = Files.createDirectory(dir.resolve("locked"));
    folder.toFile().setWritable(false, false);
    return Files.isWritable(folder) ? Path.of("/proc/self") : folder;
  }
}

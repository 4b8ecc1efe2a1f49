package app.getbodhi.session.sqlite.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.DriverMessages;
import app.getbodhi.session.jooq.SchemaReader;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite backend's read-only look at a URL: is the file there, can its folder be created and
 * written, does {@code PRAGMA quick_check} pass, which schema version and how many sessions. It
 * never creates a folder or a file and never writes.
 *
 * <p>Why the care over opening: even a read-only connection to a WAL database creates the {@code
 * -wal} and {@code -shm} files beside it and leaves them there. When neither exists (no process has
 * the database open), nothing is waiting in a WAL, so the file alone is the whole database and is
 * opened {@code immutable}, which creates nothing. When they exist, a server is using the file and
 * a plain read-only connection reads through them, creating nothing new.
 */
public final class SqliteInspector {

  /** How long a query may wait on a database that a server holds locked: 5 seconds. */
  static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

  /** How many lines of a failed {@code quick_check} a problem quotes. */
  static final int QUICK_CHECK_LINES = 3;

  /** The files SQLite keeps beside a database while it is in use. */
  private static final List<String> SIDE_FILES = List.of("-wal", "-shm", "-journal");

  private static final SchemaReader READER = new SchemaReader(SqliteSessionStore.PROFILE);

  private SqliteInspector() {}

  /**
   * Inspects what a URL names, for {@code SqliteSessionStoreProvider.inspect}: never throws for the
   * database's state, and creates nothing.
   *
   * @param url a SQLite session URL
   * @param clock what separates live from expired sessions
   * @return what was found
   */
  public static StoreInspection inspect(String url, Clock clock) {
    Target target;
    try {
      target = Target.of(url);
    } catch (SessionServiceException e) {
      return READER.unread(url, Database.UNREADABLE, List.of(e.getMessage()));
    }
    if (target.file().isEmpty()) {
      return READER.unread(url, Database.IN_MEMORY, List.of());
    }
    Path file = target.file().get();
    if (!Files.exists(file)) {
      return READER.unread(url, Database.MISSING, missingFileProblems(file, target.mode()));
    }
    List<String> problems = new ArrayList<>(existingFileProblems(file, target.mode()));
    if (Files.isDirectory(file) || !Files.isReadable(file)) {
      return READER.unread(url, Database.UNREADABLE, problems);
    }
    try (Connection connection = openReadOnly(file)) {
      Optional<String> damage = quickCheck(connection, file);
      if (damage.isPresent()) {
        // whatever else it holds cannot be trusted
        problems.add(damage.get());
        return READER.unread(url, Database.UNREADABLE, problems);
      }
      return READER.found(url, connection, clock.instant(), problems);
    } catch (SQLException e) {
      problems.add(
          "The SQLite session file "
              + file
              + " cannot be read: "
              + DriverMessages.firstLine(e)
              + " If it is damaged, restore it from a backup, or move it away and migrate to start"
              + " an empty one (its sessions are lost).");
      return READER.unread(url, Database.UNREADABLE, problems);
    }
  }

  /**
   * Tells whether two SQLite URLs reach the same file, however spelled: {@code sqlite:}, {@code
   * sqlite://} or {@code jdbc:sqlite:}, relative or absolute, through {@code ..} or a symbolic
   * link. In-memory databases are private to the store that opened them, so never the same.
   *
   * @param url a SQLite URL
   * @param other another SQLite URL
   * @return whether both name the same database file
   * @throws SessionServiceException of kind CONFIGURATION when either URL is malformed
   */
  public static boolean sameFile(String url, String other) {
    Optional<Path> first = Target.of(url).file().map(SqliteInspector::realPath);
    Optional<Path> second = Target.of(other).file().map(SqliteInspector::realPath);
    return first.isPresent() && first.equals(second);
  }

  /**
   * Resolves a path to the file it reaches: every symbolic link and {@code ..} of the part that
   * exists followed, the rest appended as written.
   */
  static Path realPath(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    } catch (IOException e) {
      return absolute;
    }
  }

  private static List<String> missingFileProblems(Path file, SqliteUrl.Mode mode) {
    if (mode != SqliteUrl.Mode.READ_WRITE_CREATE) {
      return List.of(
          "The SQLite session file "
              + file
              + " does not exist, and the URL's mode ("
              + modeName(mode)
              + ") does not allow creating it. Create it first: migrate with the same path and"
              + " mode=rwc (or no mode).");
    }
    Path existing = file.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return List.of(
          "No folder on the path of the SQLite session file " + file + " exists; check the path.");
    }
    if (!Files.isDirectory(existing)) {
      return List.of(
          existing
              + " is a file, not a folder, so the SQLite session file "
              + file
              + " cannot be created in it. Point the URL (or BODHI_HOME) at a folder.");
    }
    if (!Files.isWritable(existing)) {
      String what =
          existing.equals(file.getParent())
              ? "the file cannot be created there"
              : "the folder " + file.getParent() + " cannot be created";
      return List.of(
          "The folder "
              + existing
              + " is not writable by this user, so "
              + what
              + " for the SQLite session file "
              + file
              + ". Give the user write access, or point the URL (or BODHI_HOME) elsewhere.");
    }
    return List.of();
  }

  private static List<String> existingFileProblems(Path file, SqliteUrl.Mode mode) {
    List<String> problems = new ArrayList<>();
    if (Files.isDirectory(file)) {
      problems.add(
          "The SQLite session file "
              + file
              + " is a folder. Point the URL at a file in it, such as "
              + file.resolve("session.sqlite")
              + ".");
      return problems;
    }
    if (!Files.isReadable(file)) {
      problems.add(
          "The SQLite session file " + file + " is not readable by this user; check its owner.");
      return problems;
    }
    if (mode == SqliteUrl.Mode.READ_ONLY) {
      return problems;
    }
    if (!Files.isWritable(file)) {
      problems.add(
          "The SQLite session file "
              + file
              + " is not writable by this user, so no session could be saved. Give the user write"
              + " access, or add mode=ro to the URL for read-only use.");
    }
    Path folder = file.getParent();
    if (folder != null && !Files.isWritable(folder)) {
      problems.add(
          "The folder "
              + folder
              + " is not writable by this user, but SQLite keeps its write-ahead log beside the"
              + " session file there. Give the user write access to the folder.");
    }
    return problems;
  }

  private static Connection openReadOnly(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
    boolean inUse =
        SIDE_FILES.stream()
            .anyMatch(
                suffix ->
                    Files.exists(
                        file.resolveSibling(file.getFileName() + suffix),
                        LinkOption.NOFOLLOW_LINKS));
    return config.createConnection("jdbc:sqlite:" + fileUri(file, !inUse));
  }

  private static String fileUri(Path file, boolean immutable) throws SQLException {
    try {
      // a URI, so that '?', '#' and '%' in the path stay part of the path
      return new URI("file", null, file.toString(), immutable ? "immutable=1" : null, null)
          .toASCIIString();
    } catch (URISyntaxException e) {
      throw new SQLException("the path cannot be written as a URI: " + e.getReason(), e);
    }
  }

  /**
   * Runs {@code PRAGMA quick_check}, which reads every page: a damaged file reports its first
   * findings, or fails part-way, and either way that is the problem returned.
   */
  private static Optional<String> quickCheck(Connection connection, Path file) {
    List<String> lines = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) SchemaReader.QUERY_TIMEOUT.toSeconds());
      try (ResultSet rows =
          statement.executeQuery("PRAGMA quick_check(" + QUICK_CHECK_LINES + ")")) {
        while (rows.next()) {
          lines.add(rows.getString(1));
        }
      }
    } catch (SQLException e) {
      lines.add(DriverMessages.firstLine(e));
    }
    if (lines.equals(List.of("ok"))) {
      return Optional.empty();
    }
    return Optional.of(
        "The SQLite session file "
            + file
            + " is damaged (PRAGMA quick_check: "
            + String.join("; ", lines).replaceAll("\\s+", " ").strip()
            + "). Restore it from a backup, or move it away and migrate to start an empty one"
            + " (its sessions are lost).");
  }

  private static String modeName(SqliteUrl.Mode mode) {
    return switch (mode) {
      case READ_ONLY -> "mode=ro";
      case READ_WRITE -> "mode=rw";
      case READ_WRITE_CREATE -> "mode=rwc";
      case MEMORY -> "mode=memory";
    };
  }

  /**
   * The file a URL reaches, and the mode it is opened in. A {@code jdbc:sqlite:file:} URI, which
   * {@link SqliteUrl} hands to the driver as it is, is read here too, so that it is inspected and
   * compared like any other spelling.
   */
  private record Target(Optional<Path> file, SqliteUrl.Mode mode) {

    static Target of(String url) {
      SqliteUrl parsed = SqliteUrl.parse(url);
      if (parsed.file().isPresent()) {
        return new Target(parsed.file(), parsed.mode());
      }
      String rest = parsed.jdbcUrl().substring("jdbc:sqlite:".length());
      if (!rest.regionMatches(true, 0, "file:", 0, "file:".length())) {
        // "" and ":memory:": a private in-memory database
        return new Target(Optional.empty(), SqliteUrl.Mode.MEMORY);
      }
      String uri = rest.substring("file:".length());
      int question = uri.indexOf('?');
      String path = question >= 0 ? uri.substring(0, question) : uri;
      SqliteUrl.Mode mode = SqliteUrl.Mode.READ_WRITE_CREATE;
      if (question >= 0) {
        for (String pair : uri.substring(question + 1).split("&")) {
          switch (pair.toLowerCase(Locale.ROOT)) {
            case "mode=memory", "vfs=memdb" -> {
              return new Target(Optional.empty(), SqliteUrl.Mode.MEMORY);
            }
            case "mode=ro" -> mode = SqliteUrl.Mode.READ_ONLY;
            case "mode=rw" -> mode = SqliteUrl.Mode.READ_WRITE;
            default -> {
              // other parameters (cache=shared, immutable=1, ...) do not move the file
            }
          }
        }
      }
      if (path.startsWith("//")) {
        // file://host/path: SQLite takes only an empty host or localhost
        int slash = path.indexOf('/', 2);
        path = slash >= 0 ? path.substring(slash) : "";
      }
      String decoded;
      try {
        decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = path;
      }
      if (decoded.isEmpty() || decoded.equals(":memory:")) {
        return new Target(Optional.empty(), SqliteUrl.Mode.MEMORY);
      }
      try {
        return new Target(Optional.of(Path.of(decoded).toAbsolutePath().normalize()), mode);
      } catch (InvalidPathException e) {
        throw new SessionServiceException(
            SessionServiceException.Kind.CONFIGURATION,
            "The SQLite session URL '"
                + DatabaseUrls.redact(url)
                + "' names a path that is not valid here ("
                + e.getReason()
                + ").");
      }
    }
  }
}

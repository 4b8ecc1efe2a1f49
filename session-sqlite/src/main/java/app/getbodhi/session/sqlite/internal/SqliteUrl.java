package app.getbodhi.session.sqlite.internal;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.DatabaseUrls;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A parsed SQLite session URL.
 *
 * <p>Accepted forms: {@code sqlite:PATH}, {@code sqlite://PATH}, {@code jdbc:sqlite:PATH} and
 * {@code sqlite::memory:}. {@code sqlite:} and {@code sqlite://} take sqlx's query flag {@code
 * mode} ({@code rwc}, the default, creates the file; {@code rw} requires it to exist; {@code ro}
 * opens it read-only; {@code memory} keeps the database in memory). A {@code jdbc:sqlite:} URL goes
 * to the driver as written, query and all.
 *
 * @param jdbcUrl the URL for the sqlite-jdbc driver
 * @param file the database file, or empty for an in-memory database
 * @param mode how the file is opened
 */
public record SqliteUrl(String jdbcUrl, Optional<Path> file, Mode mode) {

  /** How the database is opened. */
  public enum Mode {
    /** Read and write, creating the file and its folders when missing (sqlx's {@code rwc}). */
    READ_WRITE_CREATE,
    /** Read and write an existing file (sqlx's {@code rw}). */
    READ_WRITE,
    /** Read only (sqlx's {@code ro}). */
    READ_ONLY,
    /** A private in-memory database that lives as long as the store. */
    MEMORY
  }

  private static final String MEMORY = ":memory:";

  /**
   * Parses a URL.
   *
   * @param url the URL
   * @return the parsed form
   * @throws SessionServiceException of kind CONFIGURATION when the URL is malformed
   */
  public static SqliteUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw invalid(url, "it is empty");
    }
    String trimmed = url.trim();
    for (int i = 0; i < trimmed.length(); i++) {
      if (Character.isISOControl(trimmed.charAt(i))) {
        throw invalid(url, "it contains a control character");
      }
    }
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:sqlite:")) {
      String rest = trimmed.substring("jdbc:sqlite:".length());
      String path = stripQuery(rest);
      if (path.isEmpty() || path.equals(MEMORY) || path.startsWith("file:")) {
        // the driver understands its own forms; only a plain path gets its folders created
        return new SqliteUrl(trimmed, Optional.empty(), Mode.MEMORY);
      }
      return new SqliteUrl(trimmed, Optional.of(toPath(url, path)), Mode.READ_WRITE_CREATE);
    }
    String rest;
    if (lower.startsWith("sqlite://")) {
      rest = trimmed.substring("sqlite://".length());
    } else if (lower.startsWith("sqlite:")) {
      rest = trimmed.substring("sqlite:".length());
    } else {
      throw invalid(url, "it does not start with sqlite:, sqlite:// or jdbc:sqlite:");
    }
    String path = stripQuery(rest);
    Mode mode =
        parseMode(url, rest.length() > path.length() ? rest.substring(path.length() + 1) : "");
    if (path.equals(MEMORY) || mode == Mode.MEMORY) {
      return memory();
    }
    if (path.isEmpty()) {
      throw invalid(url, "it names no file; write sqlite:PATH or sqlite::memory:");
    }
    Path file = toPath(url, path);
    return new SqliteUrl("jdbc:sqlite:" + file, Optional.of(file), mode);
  }

  private static SqliteUrl memory() {
    // a named in-memory database, so every connection of the pool can share it while the store
    // lives and no two stores ever see each other's data
    String name = "bodhi-sessions-" + UUID.randomUUID();
    return new SqliteUrl(
        "jdbc:sqlite:file:" + name + "?mode=memory&cache=shared", Optional.empty(), Mode.MEMORY);
  }

  private static String stripQuery(String rest) {
    int question = rest.indexOf('?');
    return question >= 0 ? rest.substring(0, question) : rest;
  }

  private static Mode parseMode(String url, String query) {
    Mode mode = Mode.READ_WRITE_CREATE;
    if (query.isEmpty()) {
      return mode;
    }
    for (String pair : query.split("&", -1)) {
      int equals = pair.indexOf('=');
      String key = equals >= 0 ? pair.substring(0, equals) : pair;
      String value = equals >= 0 ? pair.substring(equals + 1) : "";
      if (!key.equals("mode")) {
        throw invalid(
            url, "query flag '" + abbreviate(key) + "' is unknown; the only flag is mode");
      }
      mode =
          switch (value) {
            case "rwc" -> Mode.READ_WRITE_CREATE;
            case "rw" -> Mode.READ_WRITE;
            case "ro" -> Mode.READ_ONLY;
            case "memory" -> Mode.MEMORY;
            default -> throw invalid(url, "mode must be rwc, rw, ro or memory");
          };
    }
    return mode;
  }

  private static Path toPath(String url, String path) {
    try {
      return Path.of(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalid(url, "its path is not valid here (" + e.getReason() + ")");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 20 ? text : text.substring(0, 20) + "…";
  }

  private static SessionServiceException invalid(String url, String why) {
    return new SessionServiceException(
        SessionServiceException.Kind.CONFIGURATION,
        "The SQLite session URL '"
            + DatabaseUrls.redact(url)
            + "' is malformed: "
            + why
            + ". Examples: sqlite:/var/lib/app/session.sqlite, sqlite::memory:.");
  }
}

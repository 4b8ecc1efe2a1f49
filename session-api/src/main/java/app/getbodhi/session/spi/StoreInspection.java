package app.getbodhi.session.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a read-only look at a session database found (see {@link SessionStoreProvider#inspect}):
 * whether the database is there, its schema version, its sessions, and every problem that would
 * stop a server from using it. Immutable; the URL is held only in its redacted form.
 *
 * @param backend the backend's name, such as {@code sqlite}
 * @param url the URL that was inspected, its password hidden
 * @param database whether the database is there and could be read
 * @param schemaVersion the latest migration applied, or empty when the session schema has not been
 *     created (or the database could not be read)
 * @param sessions the stored sessions, when the schema exists and could be counted
 * @param problems what would stop a server from using the store, each a sentence that says what to
 *     do; empty when nothing was found
 * @param server the server that answered, such as {@code db2.example:5433 (primary)}, for a backend
 *     that connects to a server (with several hosts in the URL, which one it reached); empty when
 *     none answered or the backend has no server
 */
public record StoreInspection(
    String backend,
    String url,
    Database database,
    Optional<String> schemaVersion,
    Optional<SessionCounts> sessions,
    List<String> problems,
    Optional<String> server) {

  /** Whether the database is there and could be read. */
  public enum Database {
    /** It exists and was read. */
    FOUND,
    /** It does not exist yet, and may be created (by {@code migrate} or the first start). */
    MISSING,
    /** It is kept in memory: it lives inside one process, so no other process can look at it. */
    IN_MEMORY,
    /** It could not be reached, opened or read; {@link #problems()} says why. */
    UNREADABLE,
    /** The backend offers no read-only look. */
    NOT_INSPECTED
  }

  /**
   * The sessions in the table, judged by the clock at the time of the look.
   *
   * @param live rows whose expiry is after now
   * @param expired rows whose expiry is now or before, not deleted yet
   * @param liveUsers distinct users with a live session
   */
  public record SessionCounts(long live, long expired, long liveUsers) {

    /** Checks that no count is negative. */
    public SessionCounts {
      if (live < 0 || expired < 0 || liveUsers < 0) {
        throw new IllegalArgumentException("session counts cannot be negative");
      }
    }

    /**
     * Returns every stored row.
     *
     * @return live plus expired
     */
    public long stored() {
      return live + expired;
    }
  }

  /** Checks the components, redacts the URL again (in case a caller passed it whole) and copies. */
  public StoreInspection {
    Objects.requireNonNull(backend, "backend");
    url = DatabaseUrls.redact(Objects.requireNonNull(url, "url"));
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(schemaVersion, "schemaVersion");
    Objects.requireNonNull(sessions, "sessions");
    problems = List.copyOf(problems);
    Objects.requireNonNull(server, "server");
  }

  /**
   * Creates an inspection that names no server, as for a file or in-memory database.
   *
   * @param backend the backend's name
   * @param url the URL; redacted here
   * @param database whether the database is there and could be read
   * @param schemaVersion the latest migration applied, if any
   * @param sessions the stored sessions, if counted
   * @param problems what would stop a server from using the store
   */
  public StoreInspection(
      String backend,
      String url,
      Database database,
      Optional<String> schemaVersion,
      Optional<SessionCounts> sessions,
      List<String> problems) {
    this(backend, url, database, schemaVersion, sessions, problems, Optional.empty());
  }

  /**
   * Returns the inspection of a backend that offers none: nothing known, no problem claimed.
   *
   * @param backend the backend's name
   * @param url the URL; redacted here
   * @return the inspection
   */
  public static StoreInspection notInspected(String backend, String url) {
    return new StoreInspection(
        backend, url, Database.NOT_INSPECTED, Optional.empty(), Optional.empty(), List.of());
  }

  /**
   * Tells whether the look found nothing that would stop a server.
   *
   * @return whether {@link #problems()} is empty
   */
  public boolean healthy() {
    return problems.isEmpty();
  }

  /**
   * Tells whether the session schema exists, so a store can be read without migrating first.
   *
   * @return whether a schema version was found
   */
  public boolean migrated() {
    return schemaVersion.isPresent();
  }
}

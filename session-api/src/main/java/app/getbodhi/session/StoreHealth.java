package app.getbodhi.session;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ManagedSessionStore#health()} check found: whether the store can serve requests
 * now, which backend it is, the schema version it runs on, and, when it cannot, why.
 *
 * <p>Safe to show to operators and to return from a health endpoint: a problem is one line that
 * never holds a password, a session id or a driver's multi-line detail.
 *
 * @param up whether the store answered the check
 * @param backend the backend's name, such as {@code sqlite} or {@code postgres}
 * @param schemaVersion the version of the session schema, when the store knows it
 * @param problem why the store is down; empty when it is up
 */
public record StoreHealth(
    boolean up, String backend, Optional<String> schemaVersion, Optional<String> problem) {

  /** Checks the components: a store that is down says why, one that is up has no problem. */
  public StoreHealth {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(schemaVersion, "schemaVersion");
    Objects.requireNonNull(problem, "problem");
    if (up == problem.isPresent()) {
      throw new IllegalArgumentException(
          "A store that is up has no problem, and one that is down has one");
    }
  }

  /**
   * Reports a store that answered.
   *
   * @param backend the backend's name
   * @param schemaVersion the schema version, when known
   * @return the result
   */
  public static StoreHealth up(String backend, Optional<String> schemaVersion) {
    return new StoreHealth(true, backend, schemaVersion, Optional.empty());
  }

  /**
   * Reports a store that cannot serve requests.
   *
   * @param backend the backend's name
   * @param problem why, in one line without secrets
   * @return the result
   */
  public static StoreHealth down(String backend, String problem) {
    return new StoreHealth(false, backend, Optional.empty(), Optional.of(problem));
  }
}

package app.getbodhi.session.spi;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The backends this project ships, with the artifact that holds each and the URLs it takes: the one
 * place that knows them, so that a URL for a backend left off the classpath still gets a message
 * naming the artifact to add. The providers themselves read their name, prefixes and artifact from
 * here.
 */
public enum KnownBackend {
  /** SQLite, for one machine: the embedded default. */
  SQLITE("sqlite", "app.getbodhi:session-sqlite", List.of("sqlite:", "jdbc:sqlite:")),

  /** PostgreSQL, which several nodes can share. */
  POSTGRES(
      "postgres",
      "app.getbodhi:session-postgres",
      List.of("postgres://", "postgresql://", "jdbc:postgresql://"));

  private final String backendName;
  private final String artifact;
  private final List<String> urlPrefixes;

  KnownBackend(String backendName, String artifact, List<String> urlPrefixes) {
    this.backendName = backendName;
    this.artifact = artifact;
    this.urlPrefixes = urlPrefixes;
  }

  /**
   * Returns the backend's name, as its provider and its stores give it.
   *
   * @return {@code sqlite} or {@code postgres}
   */
  public String backendName() {
    return backendName;
  }

  /**
   * Returns the Maven artifact that holds the backend.
   *
   * @return {@code groupId:artifactId}
   */
  public String artifact() {
    return artifact;
  }

  /**
   * Returns the URL prefixes the backend accepts, lower case.
   *
   * @return the prefixes
   */
  public List<String> urlPrefixes() {
    return urlPrefixes;
  }

  /**
   * Finds the shipped backend a URL is meant for, by its prefix and without regard to case.
   *
   * @param url a database URL; may be malformed or {@code null}
   * @return the backend, or empty when no shipped backend takes URLs of that form
   */
  public static Optional<KnownBackend> forUrl(String url) {
    if (url == null) {
      return Optional.empty();
    }
    String lower = url.strip().toLowerCase(Locale.ROOT);
    for (KnownBackend backend : values()) {
      if (backend.urlPrefixes.stream().anyMatch(lower::startsWith)) {
        return Optional.of(backend);
      }
    }
    return Optional.empty();
  }
}

package app.getbodhi.session.jooq;

import app.getbodhi.session.spi.KnownBackend;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.util.List;
import java.util.Objects;

/**
 * What the providers of this project's backends share: their name, URL prefixes and artifact are
 * their {@link KnownBackend} entry's, written once there, so that a provider and the messages that
 * name a missing backend can never disagree. A backend adds how it opens, inspects and compares
 * stores.
 */
public abstract class KnownBackendProvider implements SessionStoreProvider {

  private final KnownBackend backend;

  /**
   * For a backend's provider.
   *
   * @param backend the backend's entry
   */
  protected KnownBackendProvider(KnownBackend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  @Override
  public final String name() {
    return backend.backendName();
  }

  @Override
  public final List<String> urlPrefixes() {
    return backend.urlPrefixes();
  }

  @Override
  public final String artifact() {
    return backend.artifact();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + urlPrefixes();
  }
}

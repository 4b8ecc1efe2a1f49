package app.getbodhi.session.jooq;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A SQL backend's {@link SessionStoreProvider}, from what its constructor is given: the name,
 * artifact, URL prefixes, whether nodes share the store, how to open it and how to inspect it (with
 * the system clock in UTC). A backend's provider extends this with a public no-argument constructor
 * for {@link java.util.ServiceLoader}, and overrides {@link #sameStore} where it can tell two
 * spellings of one store apart:
 *
 * <pre>{@code
 * public final class MyDbSessionStoreProvider extends SqlStoreProvider {
 *   public MyDbSessionStoreProvider() {
 *     super(MyDbSessionStore.BACKEND_NAME, "com.example:session-mydb", true,
 *         List.of("mydb://", "jdbc:mydb://"), MyDbSessionStore::connect, MyDbInspector::inspect);
 *   }
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public abstract class SqlStoreProvider implements SessionStoreProvider {

  private final String name;
  private final String artifact;
  private final boolean sharedByNodes;
  private final List<String> urlPrefixes;
  private final BiFunction<String, SessionStoreConfig, ? extends ManagedSessionStore> opener;
  private final BiFunction<String, Clock, StoreInspection> inspector;

  /**
   * For a backend's provider.
   *
   * @param name what {@link #name()} returns, such as {@code mariadb}
   * @param artifact the Maven coordinates {@code groupId:artifactId} of the backend's module
   * @param sharedByNodes whether several nodes can open one store (a server: true; a file: false)
   * @param urlPrefixes the URL prefixes the backend takes, lower case
   * @param opener opens the store from a URL, as {@link #open} promises
   * @param inspector looks at a URL read-only, judging expiry by the given clock, as {@link
   *     #inspect} promises
   */
  protected SqlStoreProvider(
      String name,
      String artifact,
      boolean sharedByNodes,
      List<String> urlPrefixes,
      BiFunction<String, SessionStoreConfig, ? extends ManagedSessionStore> opener,
      BiFunction<String, Clock, StoreInspection> inspector) {
    this.name = Objects.requireNonNull(name, "name");
    this.artifact = Objects.requireNonNull(artifact, "artifact");
    this.sharedByNodes = sharedByNodes;
    this.urlPrefixes = List.copyOf(urlPrefixes);
    this.opener = Objects.requireNonNull(opener, "opener");
    this.inspector = Objects.requireNonNull(inspector, "inspector");
  }

  @Override
  public final ManagedSessionStore open(String url, SessionStoreConfig config) {
    return opener.apply(url, config);
  }

  @Override
  public final StoreInspection inspect(String url) {
    return inspector.apply(url, Clock.systemUTC());
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final List<String> urlPrefixes() {
    return urlPrefixes;
  }

  @Override
  public final String artifact() {
    return artifact;
  }

  @Override
  public final boolean sharedByNodes() {
    return sharedByNodes;
  }

  /** Names the provider's class and the prefixes it takes. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + urlPrefixes;
  }
}

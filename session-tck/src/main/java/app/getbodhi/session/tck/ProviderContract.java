package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of a database server backend's {@link SessionStoreProvider}: how {@link
 * ServiceLoader} finds it and what it is called, which URLs it takes, that a malformed URL or a
 * server that is down is a clear error that never shows the password, and which spellings reach the
 * same store. A backend's test gives its provider, its names and its URLs:
 *
 * <pre>{@code
 * class PgSessionStoreProviderTest extends ProviderContract {
 *   PgSessionStoreProviderTest() {
 *     super(new PgSessionStoreProvider(), "postgres", "app.getbodhi:session-postgres",
 *         List.of("postgres://", "postgresql://", "jdbc:postgresql://"),
 *         List.of("postgres://h/db", ...), List.of("mysql://h/db", ...));
 *   }
 *   ...
 * }
 * }</pre>
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ProviderContract {

  /** The password of the URLs the contract builds; no message may show it. */
  protected static final String PASSWORD = "s3cr3t";

  /** How long opening a store on a server that is down may take at most: 10 seconds. */
  static final Duration DOWN_SERVER_LIMIT = Duration.ofSeconds(10);

  /** The backend's provider, as the test created it. */
  protected final SessionStoreProvider provider;

  private final String name;
  private final String artifact;
  private final List<String> urlPrefixes;
  private final List<String> supportedUrls;
  private final List<String> otherUrls;

  /**
   * For a backend's provider test.
   *
   * @param provider the provider, created as {@link ServiceLoader} creates it
   * @param name what {@link SessionStoreProvider#name()} must return
   * @param artifact the backend's {@code groupId:artifactId}
   * @param urlPrefixes the URL prefixes it must take, in order; the first starts the contract's own
   *     URLs, such as {@code postgres://}
   * @param supportedUrls URLs it must take: in each prefix's spelling, in other cases, with spaces
   *     around
   * @param otherUrls URLs it must leave alone: other backends', near misses, the empty string
   */
  protected ProviderContract(
      SessionStoreProvider provider,
      String name,
      String artifact,
      List<String> urlPrefixes,
      List<String> supportedUrls,
      List<String> otherUrls) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.name = Objects.requireNonNull(name, "name");
    this.artifact = Objects.requireNonNull(artifact, "artifact");
    this.urlPrefixes = List.copyOf(urlPrefixes);
    this.supportedUrls = List.copyOf(supportedUrls);
    this.otherUrls = List.copyOf(otherUrls);
  }

  /**
   * URLs grouped by the store they reach: each group holds spellings of one store, which {@code
   * sameStore} must take as one, and a URL of one group never reaches the store of another.
   *
   * @return two groups at least
   */
  protected abstract List<List<String>> urlsByStore();

  /** A URL of the backend whose port is not a number, with {@link #PASSWORD} in it. */
  private String malformedUrl() {
    return urlPrefixes.get(0) + "u:" + PASSWORD + "@h:abc/db";
  }

  /** One test per URL, named after it, so that a failure names the URL that failed. */
  private static Stream<DynamicTest> forEach(List<String> urls, Consumer<String> check) {
    return urls.stream()
        .map(url -> DynamicTest.dynamicTest("[" + url + "]", () -> check.accept(url)));
  }

  private static void assertConfigurationErrorWithoutPassword(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION);
              assertThat(e.getMessage()).doesNotContain(PASSWORD);
            });
  }

  @Nested
  class Identity {

    @Test
    void the_service_loader_finds_the_provider() {
      assertThat(ServiceLoader.load(SessionStoreProvider.class))
          .anySatisfy(found -> assertThat(found).isInstanceOf(provider.getClass()));
    }

    @Test
    void the_provider_is_named_after_its_backend_and_artifact_and_takes_its_url_prefixes() {
      assertThat(provider.name()).isEqualTo(name);
      assertThat(provider.artifact()).isEqualTo(artifact);
      assertThat(provider.urlPrefixes()).containsExactlyElementsOf(urlPrefixes);
    }

    @Test
    void a_database_server_is_shared_by_nodes() {
      assertThat(provider.sharedByNodes()).isTrue();
    }
  }

  @Nested
  class Urls {

    @TestFactory
    Stream<DynamicTest> the_provider_supports_every_spelling_of_its_urls() {
      return forEach(supportedUrls, url -> assertThat(provider.supports(url)).isTrue());
    }

    @TestFactory
    Stream<DynamicTest> the_provider_leaves_other_urls_alone() {
      return forEach(otherUrls, url -> assertThat(provider.supports(url)).isFalse());
    }

    @Test
    void opening_a_malformed_url_is_a_configuration_error_without_the_password() {
      assertConfigurationErrorWithoutPassword(
          () -> provider.open(malformedUrl(), SessionStoreConfig.defaults()));
    }

    @Test
    void opening_a_server_that_is_down_fails_at_once_naming_the_url_but_never_the_password()
        throws IOException {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }
      String server = "bodhi:" + PASSWORD + "@127.0.0.1:" + closedPort;
      SessionStoreConfig config =
          SessionStoreConfig.defaults().withConnectionTimeout(Duration.ofSeconds(1));

      long started = System.nanoTime();
      assertThatThrownBy(() -> provider.open(urlPrefixes.get(0) + server + "/bodhi", config))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE);
                assertThat(e.getMessage())
                    .contains(urlPrefixes.get(0) + "bodhi:***@127.0.0.1:" + closedPort)
                    .contains("SessionStoreConfig.connectionTimeout")
                    .doesNotContain(PASSWORD);
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DOWN_SERVER_LIMIT);
    }
  }

  @Nested
  class SameStore {

    @TestFactory
    Stream<DynamicTest> holds_for_every_two_spellings_of_one_store_either_way_round() {
      return urlsByStore().stream().flatMap(store -> forEachPair(store, store, true));
    }

    @TestFactory
    Stream<DynamicTest> fails_for_urls_of_two_stores_either_way_round() {
      List<List<String>> stores = urlsByStore();
      return IntStream.range(0, stores.size())
          .boxed()
          .flatMap(
              i ->
                  stores.subList(i + 1, stores.size()).stream()
                      .flatMap(other -> forEachPair(stores.get(i), other, false)));
    }

    /** One test per URL of {@code first} and other URL of {@code second}, compared both ways. */
    private Stream<DynamicTest> forEachPair(
        List<String> first, List<String> second, boolean sameStore) {
      return first.stream()
          .flatMap(
              url ->
                  second.stream()
                      .filter(other -> !other.equals(url))
                      .map(other -> List.of(url, other)))
          .map(
              pair ->
                  DynamicTest.dynamicTest(
                      pair.toString(),
                      () -> {
                        assertThat(provider.sameStore(pair.get(0), pair.get(1)))
                            .isEqualTo(sameStore);
                        assertThat(provider.sameStore(pair.get(1), pair.get(0)))
                            .isEqualTo(sameStore);
                      }));
    }

    @Test
    void refuses_a_malformed_url_as_a_configuration_error_without_the_password() {
      String url = urlsByStore().get(0).get(0);

      assertConfigurationErrorWithoutPassword(() -> provider.sameStore(url, malformedUrl()));
    }
  }
}

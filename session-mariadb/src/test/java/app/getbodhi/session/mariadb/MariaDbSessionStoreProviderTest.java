package app.getbodhi.session.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MariaDbSessionStoreProviderTest {

  private final MariaDbSessionStoreProvider provider = new MariaDbSessionStoreProvider();

  @Test
  void isFoundByTheServiceLoader() {
    assertThat(ServiceLoader.load(SessionStoreProvider.class))
        .anySatisfy(found -> assertThat(found).isInstanceOf(MariaDbSessionStoreProvider.class));
  }

  @Test
  void isNamedMariadbAfterItsArtifactAndSharedByNodes() {
    assertThat(provider.name()).isEqualTo("mariadb");
    assertThat(provider.artifact()).isEqualTo("app.getbodhi:session-mariadb");
    assertThat(provider.urlPrefixes()).containsExactly("mariadb://", "jdbc:mariadb://");
    assertThat(provider.sharedByNodes()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mariadb://h/db", "jdbc:mariadb://u:p@h/db", "MARIADB://H/DB"})
  void supportsMariaDbUrls(String url) {
    assertThat(provider.supports(url)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql://h/db", "jdbc:mysql://h/db", "postgres://h/db", ""})
  void leavesOtherUrlsAlone(String url) {
    assertThat(provider.supports(url)).isFalse();
  }

  @Test
  void refusesAMalformedUrlAsAConfigurationErrorWhenOpening() {
    assertThatThrownBy(
            () -> provider.open("mariadb://u:s3cr3t@h:abc/db", SessionStoreConfig.defaults()))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION);
              assertThat(e.getMessage()).doesNotContain("s3cr3t");
            });
  }

  @Test
  void aServerThatIsDownFailsAtOnceNamingTheUrlButNeverThePassword() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url = "mariadb://bodhi:s3cr3t@127.0.0.1:" + port + "/bodhi";
    SessionStoreConfig config =
        SessionStoreConfig.defaults().withConnectionTimeout(Duration.ofMillis(500));
    long started = System.nanoTime();
    assertThatThrownBy(() -> MariaDbSessionStore.connect(url, config))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE);
              assertThat(e.getMessage()).contains("127.0.0.1:" + port).doesNotContain("s3cr3t");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void theStoreNamesItsPoolAndUrlButNotThePassword() {
    try (MariaDbDatabase database = MariaDbFixture.freshDatabase();
        MariaDbSessionStore store = MariaDbSessionStore.connect(database.url())) {
      assertThat(store.backendName()).isEqualTo("mariadb");
      assertThat(store.toString())
          .startsWith("MariaDbSessionStore[bodhi-sessions-mariadb on ")
          .contains(database.name());
      assertThat(store.migrate().sealedRows()).isZero();
    }
  }
}

package app.getbodhi.session.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgSessionStoreProviderTest {

  private final PgSessionStoreProvider provider = new PgSessionStoreProvider();

  @Test
  void isFoundByTheServiceLoader() {
    assertThat(ServiceLoader.load(SessionStoreProvider.class))
        .anySatisfy(found -> assertThat(found).isInstanceOf(PgSessionStoreProvider.class));
  }

  @Test
  void isNamedPostgresAfterItsArtifact() {
    assertThat(provider.name()).isEqualTo("postgres");
    assertThat(provider.artifact()).isEqualTo("app.getbodhi:session-postgres");
    assertThat(provider.urlPrefixes())
        .containsExactly("postgres://", "postgresql://", "jdbc:postgresql://");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgres://h/db",
        "postgresql://u:p@h/db",
        "jdbc:postgresql://h/db",
        "POSTGRES://H/DB",
        " postgres://h/db"
      })
  void supportsPostgresUrls(String url) {
    assertThat(provider.supports(url)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite:/tmp/s.db", "jdbc:sqlite:x", "mysql://h/db", "postgres:/x", ""})
  void leavesOtherUrlsAlone(String url) {
    assertThat(provider.supports(url)).isFalse();
  }

  @Test
  void refusesAMalformedUrlAsAConfigurationErrorWhenOpening() {
    assertThatThrownBy(
            () -> provider.open("postgres://u:s3cr3t@h:abc/db", SessionStoreConfig.defaults()))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION);
              assertThat(e.getMessage()).doesNotContain("s3cr3t");
            });
  }
}

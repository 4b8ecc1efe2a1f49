package app.getbodhi.session.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs with session-sqlite as the only backend on the classpath: what a consumer that depends on
 * session-service and session-sqlite alone sees.
 */
class SqliteOnlyClasspathTest {

  @TempDir Path home;

  @Nested
  class Discovery {

    @Test
    void onlyTheSqliteProviderIsFound() {
      assertThat(SessionStoreBackend.discoverProviders())
          .extracting(SessionStoreProvider::name)
          .containsExactly("sqlite");
    }

    @Test
    void aSqliteUrlOpensAMigratedSqliteBackend() {
      try (SessionStoreBackend backend =
          SessionStoreBackend.connect("sqlite:" + home.resolve("s.sqlite"))) {
        assertThat(backend.kind()).isEqualTo("sqlite");
        SessionRecord saved =
            new SessionRecord(
                SessionId.generate(), Map.of("k", "v"), Instant.parse("2999-01-01T00:00:00Z"));
        backend.save(saved);
        assertThat(backend.load(saved.id())).contains(saved);
      }
    }

    @Test
    void aPostgresUrlIsUnsupportedAndTheMessageNamesWhatIsAvailableAndWhatToAdd() {
      assertThatThrownBy(
              () -> SessionStoreBackend.connect("postgres://bodhi:hunter2@db.example:5432/app"))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.UNSUPPORTED_URL))
          .hasMessageContaining("'postgres'")
          .hasMessageContaining("sqlite (sqlite:, jdbc:sqlite:)")
          .hasMessageContaining("app.getbodhi:session-postgres")
          .hasMessageContaining("bodhi:***@db.example")
          .message()
          .doesNotContain("hunter2");
    }

    @Test
    void aUrlWithoutSchemeIsUnsupported() {
      assertThatThrownBy(() -> SessionStoreBackend.connect("just-a-file.db"))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.UNSUPPORTED_URL))
          .hasMessageContaining("scheme (none)");
    }

    @Test
    void anEmptyUrlIsAConfigurationError() {
      assertThatThrownBy(() -> SessionStoreBackend.connect(" "))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION));
    }

    @Test
    void twoProvidersForOneUrlAreReportedAsAmbiguous() {
      SessionStoreProvider sqlite = SessionStoreBackend.discoverProviders().get(0);
      SessionStoreProvider impostor =
          new SessionStoreProvider() {
            @Override
            public String name() {
              return "impostor";
            }

            @Override
            public List<String> urlPrefixes() {
              return List.of("sqlite:");
            }

            @Override
            public app.getbodhi.session.ManagedSessionStore open(
                String url, app.getbodhi.session.spi.SessionStoreConfig config) {
              throw new AssertionError("must not be opened");
            }
          };

      assertThatThrownBy(
              () -> SessionStoreBackend.selectProvider("sqlite:x.db", List.of(sqlite, impostor)))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
          .hasMessageContaining("sqlite (")
          .hasMessageContaining("impostor (")
          .hasMessageContaining("pass the provider");
    }
  }

  @Nested
  class ConnectFromSettings {

    @Test
    void withoutAUrlTheServiceUsesSessionSqliteInBodhiHome() {
      SettingService settings =
          SettingService.of(Map.of(SettingService.BODHI_HOME, home.toString()));

      try (DefaultSessionService service = DefaultSessionService.connect(settings)) {
        assertThat(service.backend().kind()).isEqualTo("sqlite");
        assertThat(service.countSessionsForUser("nobody")).isZero();
      }
      assertThat(home.resolve("session.sqlite")).exists();
    }

    @Test
    void clusterModeRefusesTheDefaultSqliteUrlNamingBothSettings() {
      SettingService settings =
          SettingService.of(
              Map.of(
                  SettingService.BODHI_HOME,
                  home.toString(),
                  SettingService.BODHI_DEPLOYMENT,
                  "cluster"));

      assertThatThrownBy(() -> DefaultSessionService.connect(settings))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
          .hasMessageContaining("BODHI_DEPLOYMENT")
          .hasMessageContaining("BODHI_SESSION_DB_URL")
          .hasMessageContaining("unset");
      assertThat(home.resolve("session.sqlite")).doesNotExist();
    }

    @Test
    void clusterModeRefusesAnExplicitSqliteUrl() {
      SettingService settings =
          SettingService.of(
              Map.of(
                  SettingService.BODHI_SESSION_DB_URL,
                  "sqlite:" + home.resolve("x.sqlite"),
                  SettingService.BODHI_DEPLOYMENT,
                  "CLUSTER"));

      assertThatThrownBy(() -> DefaultSessionService.connect(settings))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
          .hasMessageContaining("sqlite:");
    }

    @Test
    void clusterModeWithAPostgresUrlGetsPastTheModeCheckToDiscovery() {
      SettingService settings =
          SettingService.of(
              Map.of(
                  SettingService.BODHI_SESSION_DB_URL, "postgres://u:pw@localhost/db",
                  SettingService.BODHI_DEPLOYMENT, "cluster"));

      // only sqlite is on this classpath, so the URL is accepted by the mode check and then
      // refused by discovery
      assertThatThrownBy(() -> DefaultSessionService.connect(settings))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.UNSUPPORTED_URL));
    }

    @Test
    void anUnknownDeploymentModeIsAConfigurationErrorNotASilentDefault() {
      SettingService settings =
          SettingService.of(
              Map.of(
                  SettingService.BODHI_HOME,
                  home.toString(),
                  SettingService.BODHI_DEPLOYMENT,
                  "clustered"));

      assertThatThrownBy(() -> DefaultSessionService.connect(settings))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
          .hasMessageContaining("BODHI_DEPLOYMENT")
          .hasMessageContaining("clustered");
    }

    @Test
    void theLayerWrapsTheBackendWithTheDefaultCookieSettings() {
      SettingService settings =
          SettingService.of(Map.of(SettingService.BODHI_HOME, home.toString()));

      try (DefaultSessionService service = DefaultSessionService.connect(settings)) {
        assertThat(service.sessionLayer().store()).isSameAs(service.getSessionStore());
        assertThat(service.sessionLayer().cookieName()).isEqualTo("bodhiapp_session_id");
      }
    }
  }
}

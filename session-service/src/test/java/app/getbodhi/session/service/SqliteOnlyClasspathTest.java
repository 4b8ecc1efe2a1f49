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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs with session-sqlite as the only backend on the classpath: what a consumer that depends on
 * session-service and session-sqlite alone sees.
 */
class SqliteOnlyClasspathTest {

  @TempDir Path home;

  /** Asserts that a call throws a SessionServiceException of a kind, for further checks. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertFailsWith(
      SessionServiceException.Kind kind, ThrowingCallable call) {
    return assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SessionServiceException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  /** Settings from alternating keys and values. */
  private static SettingService settings(String... keysAndValues) {
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return SettingService.of(settings);
  }

  /** Settings with nothing but BODHI_HOME: the default SQLite file in it. */
  private SettingService homeOnly() {
    return settings(SettingService.BODHI_HOME, home.toString());
  }

  /**
   * Asserts that connecting the service fails, for further checks.
   *
   * @param kind the kind of the failure
   * @param keysAndValues the settings, as for {@link #settings}
   */
  private static AbstractThrowableAssert<?, ? extends Throwable> connectFails(
      SessionServiceException.Kind kind, String... keysAndValues) {
    SettingService settings = settings(keysAndValues);
    return assertFailsWith(kind, () -> DefaultSessionService.connect(settings));
  }

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
        assertThat(backend.load(saved.id())).map(SessionRecord::data).contains(saved.data());
      }
    }

    @Test
    void aPostgresUrlIsUnsupportedAndTheMessageNamesWhatIsAvailableAndWhatToAdd() {
      assertFailsWith(
              SessionServiceException.Kind.UNSUPPORTED_URL,
              () -> SessionStoreBackend.connect("postgres://bodhi:hunter2@db.example:5432/app"))
          .hasMessageContaining("'postgres'")
          .hasMessageContaining("sqlite (sqlite:, jdbc:sqlite:)")
          .hasMessageContaining("app.getbodhi:session-postgres")
          .hasMessageContaining("bodhi:***@db.example")
          .message()
          .doesNotContain("hunter2");
    }

    @Test
    void anUnknownSchemeNamesTheShippedBackendsThatAreMissingAndTheirArtifacts() {
      assertFailsWith(
              SessionServiceException.Kind.UNSUPPORTED_URL,
              () -> SessionStoreBackend.connect("mysql://root:hunter2@db/app"))
          .hasMessageContaining("'mysql'")
          .hasMessageContaining("Not on the classpath: postgres (postgres://")
          .hasMessageContaining("add app.getbodhi:session-postgres")
          .message()
          .doesNotContain("hunter2");
    }

    @Test
    void aUrlWithoutSchemeIsUnsupported() {
      assertFailsWith(
              SessionServiceException.Kind.UNSUPPORTED_URL,
              () -> SessionStoreBackend.connect("just-a-file.db"))
          .hasMessageContaining("scheme (none)");
    }

    @Test
    void anEmptyUrlIsAConfigurationError() {
      assertFailsWith(
          SessionServiceException.Kind.CONFIGURATION, () -> SessionStoreBackend.connect(" "));
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
            public String artifact() {
              return "com.example:impostor";
            }

            @Override
            public app.getbodhi.session.ManagedSessionStore open(
                String url, app.getbodhi.session.spi.SessionStoreConfig config) {
              throw new AssertionError("must not be opened");
            }
          };

      assertFailsWith(
              SessionServiceException.Kind.CONFIGURATION,
              () -> SessionStoreBackend.selectProvider("sqlite:x.db", List.of(sqlite, impostor)))
          .hasMessageContaining("sqlite (")
          .hasMessageContaining("impostor (")
          .hasMessageContaining("in com.example:impostor")
          .hasMessageContaining("in app.getbodhi:session-sqlite")
          .hasMessageContaining("pass the provider");
    }
  }

  /**
   * The same backend, claiming it can be shared by nodes: for the cluster rule's other side, on a
   * classpath whose only backend keeps sessions on one machine.
   */
  static SessionStoreProvider sharedVersionOf(SessionStoreProvider provider) {
    return new SessionStoreProvider() {
      @Override
      public String name() {
        return provider.name();
      }

      @Override
      public List<String> urlPrefixes() {
        return provider.urlPrefixes();
      }

      @Override
      public app.getbodhi.session.ManagedSessionStore open(
          String url, app.getbodhi.session.spi.SessionStoreConfig config) {
        return provider.open(url, config);
      }

      @Override
      public boolean sharedByNodes() {
        return true;
      }

      @Override
      public String artifact() {
        return provider.artifact();
      }
    };
  }

  @Nested
  class ConnectFromSettings {

    @Test
    void theClusterRuleAsksTheProviderWhetherNodesCanShareItsStore() {
      SettingService cluster =
          settings(
              SettingService.BODHI_DEPLOYMENT,
              "cluster",
              SettingService.BODHI_SESSION_DB_URL,
              "sqlite:" + home.resolve("x.sqlite"));
      SettingService standalone = homeOnly();
      SessionStoreProvider sqlite = SessionStoreBackend.discoverProviders().get(0);
      SessionStoreProvider shared = sharedVersionOf(sqlite);

      assertThat(DefaultSessionService.deploymentProblem(cluster, sqlite))
          .hasValueSatisfying(
              message ->
                  assertThat(message)
                      .startsWith("BODHI_DEPLOYMENT=cluster needs sessions in a database every")
                      .contains("the sqlite backend keeps sessions on one machine"));
      assertThat(DefaultSessionService.deploymentProblem(cluster, shared)).isEmpty();
      assertThat(DefaultSessionService.deploymentProblem(standalone, sqlite)).isEmpty();
    }

    @Test
    void withoutAUrlTheServiceUsesSessionSqliteInBodhiHome() {
      try (DefaultSessionService service = DefaultSessionService.connect(homeOnly())) {
        assertThat(service.backend().kind()).isEqualTo("sqlite");
        assertThat(service.countSessionsForUser("nobody")).isZero();
      }
      assertThat(home.resolve("session.sqlite")).exists();
    }

    @Test
    void clusterModeRefusesTheDefaultSqliteUrlNamingBothSettings() {
      connectFails(
              SessionServiceException.Kind.CONFIGURATION,
              SettingService.BODHI_HOME,
              home.toString(),
              SettingService.BODHI_DEPLOYMENT,
              "cluster")
          .hasMessageContaining("BODHI_DEPLOYMENT")
          .hasMessageContaining("BODHI_SESSION_DB_URL")
          .hasMessageContaining("unset");
      assertThat(home.resolve("session.sqlite")).doesNotExist();
    }

    @Test
    void clusterModeRefusesAnExplicitSqliteUrl() {
      connectFails(
              SessionServiceException.Kind.CONFIGURATION,
              SettingService.BODHI_SESSION_DB_URL,
              "sqlite:" + home.resolve("x.sqlite"),
              SettingService.BODHI_DEPLOYMENT,
              "CLUSTER")
          .hasMessageContaining("sqlite:");
    }

    @Test
    void clusterModeWithAPostgresUrlGetsPastTheModeCheckToDiscovery() {
      // only sqlite is on this classpath, so the URL is accepted by the mode check and then
      // refused by discovery
      connectFails(
          SessionServiceException.Kind.UNSUPPORTED_URL,
          SettingService.BODHI_SESSION_DB_URL,
          "postgres://u:pw@localhost/db",
          SettingService.BODHI_DEPLOYMENT,
          "cluster",
          SettingService.BODHI_SESSION_SECRET,
          "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=");
    }

    @Test
    void anUnknownDeploymentModeIsAConfigurationErrorNotASilentDefault() {
      connectFails(
              SessionServiceException.Kind.CONFIGURATION,
              SettingService.BODHI_HOME,
              home.toString(),
              SettingService.BODHI_DEPLOYMENT,
              "clustered")
          .hasMessageContaining("BODHI_DEPLOYMENT")
          .hasMessageContaining("clustered");
    }

    @Test
    void theLayerWrapsTheBackendWithTheDefaultCookieSettings() {
      try (DefaultSessionService service = DefaultSessionService.connect(homeOnly())) {
        assertThat(service.sessionLayer().store()).isSameAs(service.getSessionStore());
        assertThat(service.sessionLayer().cookieName()).isEqualTo("bodhiapp_session_id");
      }
    }
  }
}

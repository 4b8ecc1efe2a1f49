package app.getbodhi.session.tests;

import static app.getbodhi.session.tests.Usable.assertUsable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import app.getbodhi.session.DeploymentMode;
import app.getbodhi.session.EnvironmentSettingService;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.DefaultSessionService;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How settings pick the session database: the URL fallback, the deployment mode, and {@link
 * DefaultSessionService#connect(SettingService)} refusing SQLite in cluster mode.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SettingsTest {

  @TempDir Path home;

  /** Settings that name the test's BODHI_HOME and a session database URL. */
  private SettingService homeAndUrl(String url) {
    return SettingService.of(
        Map.of(
            SettingService.BODHI_HOME, home.toString(), SettingService.BODHI_SESSION_DB_URL, url));
  }

  /** Settings for cluster mode with a session database URL and the server secret it needs. */
  private static Map<String, String> inCluster(String url) {
    return Map.of(
        SettingService.BODHI_DEPLOYMENT,
        "cluster",
        SettingService.BODHI_SESSION_DB_URL,
        url,
        SettingService.BODHI_SESSION_SECRET,
        "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=");
  }

  /** Settings that name only the test's BODHI_HOME. */
  private SettingService onlyHome() {
    return SettingService.of(Map.of(SettingService.BODHI_HOME, home.toString()));
  }

  @Nested
  @DisplayName("the session database URL")
  class Url {

    @Test
    void falls_back_to_session_sqlite_in_the_bodhi_home_folder() {
      SettingService settings = onlyHome();

      assertThat(settings.sessionDbPath()).isEqualTo(home.resolve("session.sqlite"));
      assertThat(settings.sessionDbUrl()).isEqualTo("sqlite:" + home.resolve("session.sqlite"));
    }

    @Test
    void falls_back_to_the_cache_folder_in_the_user_home_without_bodhi_home() {
      SettingService settings = SettingService.of(Map.of());

      assertThat(settings.sessionDbUrl())
          .isEqualTo(
              "sqlite:"
                  + Path.of(System.getProperty("user.home"), ".cache", "bodhi", "session.sqlite"));
    }

    @Test
    void bodhi_session_db_url_wins_over_the_fallback() {
      SettingService settings = homeAndUrl("postgres://u:p@db:5432/sessions");

      assertThat(settings.sessionDbUrl()).isEqualTo("postgres://u:p@db:5432/sessions");
    }

    @Test
    void a_blank_bodhi_session_db_url_counts_as_unset() {
      SettingService settings = homeAndUrl("   ");

      assertThat(settings.sessionDbUrl()).isEqualTo("sqlite:" + home.resolve("session.sqlite"));
    }

    @Test
    void a_system_property_wins_over_the_environment() {
      String key = SettingService.BODHI_SESSION_DB_URL;
      String before = System.getProperty(key);
      System.setProperty(key, "sqlite:/from/property.sqlite");
      try {
        SettingService settings =
            new EnvironmentSettingService(Map.of(key, "sqlite:/from/environment.sqlite"));

        assertThat(settings.sessionDbUrl()).isEqualTo("sqlite:/from/property.sqlite");
      } finally {
        if (before == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, before);
        }
      }
    }
  }

  @Nested
  @DisplayName("the deployment mode")
  class Deployment {

    @Test
    void is_standalone_when_unset() {
      assertThat(SettingService.of(Map.of()).deploymentMode()).isEqualTo(DeploymentMode.STANDALONE);
    }

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "standalone   | STANDALONE",
          "cluster      | CLUSTER",
          "CLUSTER      | CLUSTER",
          "' Cluster '  | CLUSTER",
          "Standalone   | STANDALONE"
        })
    void is_parsed_ignoring_case_and_blanks(String value, DeploymentMode expected) {
      SettingService settings = SettingService.of(Map.of(SettingService.BODHI_DEPLOYMENT, value));

      assertThat(settings.deploymentMode()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"clustered", "production", "postgres", "standalone,cluster"})
    void an_unknown_value_is_a_configuration_error_naming_the_setting(String value) {
      SettingService settings = SettingService.of(Map.of(SettingService.BODHI_DEPLOYMENT, value));

      assertThatThrownBy(settings::deploymentMode)
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION);
                assertThat(e.getMessage()).contains(SettingService.BODHI_DEPLOYMENT, value);
              });
    }
  }

  @Nested
  @DisplayName("connecting the session service")
  class Connect {

    @Test
    void standalone_without_a_url_opens_session_sqlite_in_bodhi_home() {
      SettingService settings = onlyHome();

      try (DefaultSessionService service = DefaultSessionService.connect(settings)) {
        assertThat(service.getSessionStore().backendName()).isEqualTo("sqlite");
        assertUsable(service.getSessionStore());
      }

      assertThat(home.resolve("session.sqlite")).isRegularFile();
    }

    /** Connecting with these settings must fail as a configuration error, before any opening. */
    private SessionServiceException refused(Map<String, String> values) {
      SettingService settings = SettingService.of(values);
      Throwable thrown = catchThrowable(() -> DefaultSessionService.connect(settings).close());
      assertThat(thrown).isInstanceOf(SessionServiceException.class);
      SessionServiceException e = (SessionServiceException) thrown;
      assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION);
      return e;
    }

    /** With only a deployment mode and BODHI_HOME set: refused, and no SQLite file appears. */
    private void refusedWithoutOpeningSqlite(String deployment) {
      refused(
          Map.of(
              SettingService.BODHI_DEPLOYMENT,
              deployment,
              SettingService.BODHI_HOME,
              home.toString()));

      assertThat(home.resolve("session.sqlite")).doesNotExist();
    }

    @Test
    void cluster_mode_refuses_a_sqlite_url_naming_both_settings() {
      Path file = home.resolve("cluster.sqlite");

      SessionServiceException e = refused(inCluster("sqlite:" + file));

      assertThat(e.getMessage())
          .contains(SettingService.BODHI_DEPLOYMENT, SettingService.BODHI_SESSION_DB_URL);
      assertThat(file).doesNotExist();
    }

    @Test
    void cluster_mode_refuses_the_sqlite_fallback_when_no_url_is_set() {
      refusedWithoutOpeningSqlite("cluster");
    }

    @Test
    void cluster_mode_with_a_postgres_url_opens_a_migrated_postgres_store() {
      try (PostgresSchema schema =
          PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
        SettingService settings = SettingService.of(inCluster(schema.url()));

        try (DefaultSessionService service = DefaultSessionService.connect(settings)) {
          assertThat(service.getSessionStore().backendName()).isEqualTo("postgres");
          assertUsable(service.getSessionStore());
        }
        assertThat(schema.sessionRowCount()).isEqualTo(1);
      }
    }

    @Test
    void an_unknown_deployment_mode_is_refused_before_anything_is_opened() {
      refusedWithoutOpeningSqlite("clustered");
    }
  }
}

package app.getbodhi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingServiceTest {

  /** Checks that reading a setting fails as a CONFIGURATION error; the rest checks the message. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertConfigurationError(
      ThrowingCallable read) {
    return assertThatThrownBy(read)
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION));
  }

  @Nested
  class SessionSecrets {

    private static final String KEY = "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=";

    @Test
    void withoutASecretThereIsNoneAndNoPreviousOne() {
      SettingService settings = SettingService.of(Map.of());

      assertThat(settings.sessionSecret()).isEqualTo(SessionSecret.none());
      assertThat(settings.previousSessionSecret()).isEmpty();
    }

    @Test
    void aBase64SecretIsReadInStandardAndUrlSafeAlphabetsAlike() {
      SessionSecret standard =
          SettingService.of(Map.of("BODHI_SESSION_SECRET", KEY)).sessionSecret();
      SessionSecret urlSafe =
          SettingService.of(Map.of("BODHI_SESSION_SECRET", KEY.replace('+', '-').replace('/', '_')))
              .sessionSecret();

      assertThat(standard.isNone()).isFalse();
      assertThat(standard.isShort()).isFalse();
      assertThat(standard.bytes())
          .get()
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.BYTE_ARRAY)
          .hasSize(32);
      assertThat(urlSafe).isEqualTo(standard);
    }

    @Test
    void aSecretOfFewerThan32BytesIsUsedButCountsAsShort() {
      SessionSecret secret =
          SettingService.of(Map.of("BODHI_SESSION_SECRET", "c2hvcnQ=")).sessionSecret();

      assertThat(secret.isShort()).isTrue();
      assertThat(secret.bytes()).isPresent();
    }

    @Test
    void aValueThatIsNotBase64IsRefusedNamingTheSettingButNotTheValue() {
      assertConfigurationError(
              () ->
                  SettingService.of(Map.of("BODHI_SESSION_SECRET", "not base64 at all!"))
                      .sessionSecret())
          .hasMessageContaining("BODHI_SESSION_SECRET")
          .hasMessageNotContaining("not base64 at all!");
    }

    @Test
    void thePreviousSecretMayBeNoneToKeepSessionsMadeWithoutOne() {
      SettingService settings =
          SettingService.of(
              Map.of("BODHI_SESSION_SECRET", KEY, "BODHI_SESSION_SECRET_PREVIOUS", "none"));

      assertThat(settings.previousSessionSecret()).contains(SessionSecret.none());
    }

    @Test
    void aSecretNeverShowsInToString() {
      SessionSecret secret = SettingService.of(Map.of("BODHI_SESSION_SECRET", KEY)).sessionSecret();

      assertThat(secret.toString()).isEqualTo("SessionSecret[***]").doesNotContain(KEY);
      assertThat(SessionSecret.none().toString()).isEqualTo("SessionSecret[none]");
    }
  }

  @Nested
  class SessionDbUrl {

    @Test
    void withoutAUrlItIsTheSqliteFileInBodhiHome() {
      SettingService settings = SettingService.of(Map.of("BODHI_HOME", "/srv/bodhi"));

      assertThat(settings.sessionDbPath()).isEqualTo(Path.of("/srv/bodhi/session.sqlite"));
      assertThat(settings.sessionDbUrl()).isEqualTo("sqlite:/srv/bodhi/session.sqlite");
    }

    @Test
    void withoutBodhiHomeTheHomeIsTheUserCacheFolder() {
      assertThat(SettingService.of(Map.of()).bodhiHome())
          .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "bodhi"));
    }

    @Test
    void anExplicitUrlWins() {
      SettingService settings =
          SettingService.of(
              Map.of("BODHI_HOME", "/srv/bodhi", "BODHI_SESSION_DB_URL", "postgres://h/db"));

      assertThat(settings.sessionDbUrl()).isEqualTo("postgres://h/db");
    }

    @Test
    void aBlankUrlCountsAsUnset() {
      SettingService settings =
          SettingService.of(Map.of("BODHI_HOME", "/srv/bodhi", "BODHI_SESSION_DB_URL", "  "));

      assertThat(settings.sessionDbUrl()).isEqualTo("sqlite:/srv/bodhi/session.sqlite");
    }
  }

  @Nested
  class Deployment {

    @Test
    void itIsStandaloneByDefault() {
      assertThat(SettingService.of(Map.of()).deploymentMode()).isEqualTo(DeploymentMode.STANDALONE);
    }

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({"standalone, STANDALONE", "cluster, CLUSTER", "' Cluster ', CLUSTER"})
    void knownValuesParseIgnoringCaseAndBlanks(String value, DeploymentMode mode) {
      assertThat(SettingService.of(Map.of("BODHI_DEPLOYMENT", value)).deploymentMode())
          .isEqualTo(mode);
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"clustered", "prod", "standalone,cluster", "0"})
    void anUnknownValueIsAConfigurationErrorNamingTheSetting(String value) {
      SettingService settings = SettingService.of(Map.of("BODHI_DEPLOYMENT", value));

      assertConfigurationError(settings::deploymentMode)
          .hasMessageContaining("BODHI_DEPLOYMENT")
          .hasMessageContaining("'standalone' or 'cluster'");
    }
  }

  @Nested
  class CleanupInterval {

    @Test
    void itIsFiveMinutesByDefault() {
      assertThat(SettingService.of(Map.of()).cleanupInterval()).contains(Duration.ofMinutes(5));
    }

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({
      "300s, PT5M",
      "5m, PT5M",
      "1h, PT1H",
      "2d, PT48H",
      "PT90S, PT1M30S",
      "250ms, PT0.25S"
    })
    void durationsParseInSeveralForms(String value, Duration expected) {
      assertThat(
              SettingService.of(Map.of("BODHI_SESSION_CLEANUP_INTERVAL", value)).cleanupInterval())
          .contains(expected);
    }

    @ParameterizedTest(name = "''{0}'' turns cleanup off")
    @ValueSource(strings = {"off", "OFF", "none", "disabled", "0", "0s", "PT0S"})
    void offAndZeroTurnCleanupOff(String value) {
      assertThat(
              SettingService.of(Map.of("BODHI_SESSION_CLEANUP_INTERVAL", value)).cleanupInterval())
          .isEmpty();
    }

    @ParameterizedTest(name = "''{0}'' is refused: a number needs its unit")
    @ValueSource(strings = {"300", " 5 ", "86400"})
    void aNumberWithoutAUnitIsRefusedWithAnExampleRatherThanReadAsSeconds(String value) {
      SettingService settings = SettingService.of(Map.of("BODHI_SESSION_CLEANUP_INTERVAL", value));

      assertConfigurationError(settings::cleanupInterval)
          .hasMessageContaining("BODHI_SESSION_CLEANUP_INTERVAL needs a unit")
          .hasMessageContaining("'" + value.strip() + "'")
          .hasMessageContaining("300s")
          .hasMessageContaining("5m");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"soon", "-5m", "5 minutes", "PT-5M", "1y"})
    void anythingElseIsAConfigurationErrorNamingTheSetting(String value) {
      SettingService settings = SettingService.of(Map.of("BODHI_SESSION_CLEANUP_INTERVAL", value));

      assertConfigurationError(settings::cleanupInterval)
          .hasMessageContaining("BODHI_SESSION_CLEANUP_INTERVAL");
    }
  }

  @Nested
  class Environment {

    @Test
    void aSystemPropertyOverridesTheEnvironmentVariable() {
      String key = "BODHI_TEST_SETTING_" + System.nanoTime();
      SettingService settings = new EnvironmentSettingService(Map.of(key, "from-env"));
      assertThat(settings.getSetting(key)).contains("from-env");

      System.setProperty(key, "from-property");
      try {
        assertThat(settings.getSetting(key)).contains("from-property");
      } finally {
        System.clearProperty(key);
      }
    }

    @Test
    void toStringOfAMapServiceShowsKeysButNotValues() {
      assertThat(SettingService.of(Map.of("BODHI_SESSION_DB_URL", "postgres://u:pw@h/db")))
          .asString()
          .contains("BODHI_SESSION_DB_URL")
          .doesNotContain("pw");
    }
  }
}

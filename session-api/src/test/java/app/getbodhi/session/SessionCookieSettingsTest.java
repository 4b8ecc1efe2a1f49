package app.getbodhi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The settings of the session cookie and lifetime: BODHI_SESSION_LIFETIME, ..._ACCESS_GRANULARITY
 * and ..._SECURE_COOKIE.
 */
class SessionCookieSettingsTest {

  /** A duration written as a message suggests one: a number and a unit. */
  private static final Pattern SUGGESTION = Pattern.compile("(?<![\\w'])\\d+(ms|s|m|h|d)\\b");

  private static SettingService with(String key, String value) {
    return SettingService.of(Map.of(key, value));
  }

  /** Reading the setting set to the value fails as a configuration error that names it. */
  private static void assertRefusedNamingTheSetting(
      String setting, String value, Function<SettingService, ?> read) {
    SettingService settings = with(setting, value);

    assertThatThrownBy(() -> read.apply(settings))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
        .hasMessageContaining(setting);
  }

  @Test
  void unsetSettingsTakeTheirDefaults() {
    SettingService unset = SettingService.of(Map.of());

    assertThat(unset.sessionLifetime())
        .isEqualTo(Duration.ofDays(14))
        // the constant the layer's default is defined by, in session-service
        .isEqualTo(SettingService.DEFAULT_SESSION_LIFETIME);
    assertThat(unset.accessGranularity())
        .isEqualTo(Duration.ofMinutes(5))
        .isEqualTo(SettingService.DEFAULT_ACCESS_GRANULARITY);
    assertThat(unset.secureCookie()).isFalse();
  }

  @Nested
  class Lifetime {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({
      "30m, PT30M",
      "12h, PT12H",
      "14d, PT336H",
      "P1D, PT24H",
      "1m, PT1M",
      "365d, PT8760H"
    })
    void readsUnitsAndIsoDurations(String value, Duration expected) {
      assertThat(with(SettingService.BODHI_SESSION_LIFETIME, value).sessionLifetime())
          .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "0", "59s", "366d", "soon", "-PT1H"})
    void refusesWhatIsNotALifetimeNamingTheSettingAndItsLimits(String value) {
      assertRefusedNamingTheSetting(
          SettingService.BODHI_SESSION_LIFETIME, value, SettingService::sessionLifetime);
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "0", "300", "abc", "59s"})
    void everyValueARefusalSuggestsIsAccepted(String value) {
      SettingService settings = with(SettingService.BODHI_SESSION_LIFETIME, value);

      assertThatThrownBy(settings::sessionLifetime)
          .satisfies(
              e -> {
                Matcher suggested = SUGGESTION.matcher(e.getMessage());
                List<String> suggestions = new ArrayList<>();
                while (suggested.find()) {
                  suggestions.add(suggested.group());
                }
                assertThat(suggestions).as(e.getMessage()).isNotEmpty();
                for (String suggestion : suggestions) {
                  assertThat(with(SettingService.BODHI_SESSION_LIFETIME, suggestion))
                      .as("suggested '%s' in: %s", suggestion, e.getMessage())
                      .satisfies(accepted -> accepted.sessionLifetime());
                }
              })
          .hasMessageNotContaining("or off");
    }

    @Test
    void aValueOutOfRangeIsToldTheRange() {
      assertThatThrownBy(() -> SettingService.parseSessionLifetime("--session-lifetime", "30s"))
          .hasMessageStartingWith("--session-lifetime must be between 1 minute and 365 days")
          .hasMessageContaining("'30s'");
    }
  }

  @Nested
  class AccessGranularity {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({"0s, PT0S", "0, PT0S", "30s, PT30S", "5m, PT5M", "PT1H, PT1H", "1h, PT1H"})
    void readsZeroUnitsAndIsoDurationsUpToAnHour(String value, Duration expected) {
      assertThat(with(SettingService.BODHI_SESSION_ACCESS_GRANULARITY, value).accessGranularity())
          .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"61m", "2h", "30", "soon", "-PT1S"})
    void refusesWhatIsNotAGranularityNamingTheSetting(String value) {
      assertRefusedNamingTheSetting(
          SettingService.BODHI_SESSION_ACCESS_GRANULARITY,
          value,
          SettingService::accessGranularity);
    }

    @Test
    void aValueOutOfRangeIsToldTheRange() {
      assertThatThrownBy(
              () -> SettingService.parseAccessGranularity("BODHI_SESSION_ACCESS_GRANULARITY", "2h"))
          .hasMessage(
              "BODHI_SESSION_ACCESS_GRANULARITY must be between 0s and 1 hour (such as 0s, 30s or"
                  + " 5m), but is '2h'.");
    }
  }

  @Nested
  class SecureCookie {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({"true, true", "TRUE, true", "false, false", "' False ', false"})
    void readsTrueAndFalse(String value, boolean expected) {
      assertThat(with(SettingService.BODHI_SESSION_SECURE_COOKIE, value).secureCookie())
          .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", "ture"})
    void refusesAnythingElseRatherThanGuess(String value) {
      SettingService settings = with(SettingService.BODHI_SESSION_SECURE_COOKIE, value);

      assertThatThrownBy(settings::secureCookie)
          .isInstanceOf(SessionServiceException.class)
          .hasMessage(
              SettingService.BODHI_SESSION_SECURE_COOKIE
                  + " must be true or false, but is '"
                  + value
                  + "'.");
    }
  }
}

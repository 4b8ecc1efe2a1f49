package app.getbodhi.session.service;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.DeploymentMode;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SettingService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server secret from the settings reaches the store, and what is weak about it is said. */
class SessionSecretSettingTest {

  private static final String SECRET = "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=";
  private static final String OTHER = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";

  @TempDir Path dir;

  private Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put(SettingService.BODHI_HOME, dir.toString());
    settings.put(SettingService.BODHI_SESSION_CLEANUP_INTERVAL, "off");
    return settings;
  }

  private SessionId createWith(Map<String, String> settings) {
    try (DefaultSessionService service =
        DefaultSessionService.connect(SettingService.of(settings))) {
      return service
          .getSessionStore()
          .create(
              new SessionRecord(
                  SessionId.generate(), Map.of("k", "v"), Instant.now().plusSeconds(3600)))
          .id();
    }
  }

  private boolean loadsWith(Map<String, String> settings, SessionId id) {
    try (DefaultSessionService service =
        DefaultSessionService.connect(SettingService.of(settings))) {
      return service.getSessionStore().load(id).isPresent();
    }
  }

  @Test
  void the_secret_setting_keys_the_store_and_the_previous_one_still_opens_its_sessions() {
    Map<String, String> withSecret = settings();
    withSecret.put(SettingService.BODHI_SESSION_SECRET, SECRET);
    SessionId id = createWith(withSecret);

    Map<String, String> rotated = settings();
    rotated.put(SettingService.BODHI_SESSION_SECRET, OTHER);
    rotated.put(SettingService.BODHI_SESSION_SECRET_PREVIOUS, SECRET);
    Map<String, String> otherOnly = settings();
    otherOnly.put(SettingService.BODHI_SESSION_SECRET, OTHER);

    assertThat(loadsWith(settings(), id)).as("without the secret").isFalse();
    assertThat(loadsWith(otherOnly, id)).as("under another secret").isFalse();
    assertThat(loadsWith(rotated, id)).as("with the secret as the previous one").isTrue();
    assertThat(loadsWith(withSecret, id)).isTrue();
  }

  @Test
  void a_secret_set_on_the_config_stands_when_the_settings_name_none() {
    Map<String, String> none = settings();
    try (DefaultSessionService service =
        DefaultSessionService.connect(
            SettingService.of(none),
            app.getbodhi.session.spi.SessionStoreConfig.defaults()
                .withSecret(SessionSecret.parse("test", SECRET)))) {
      SessionId id =
          service
              .getSessionStore()
              .create(
                  new SessionRecord(
                      SessionId.generate(), Map.of(), Instant.now().plusSeconds(3600)))
              .id();
      assertThat(loadsWith(none, id)).isFalse();
      assertThat(service.getSessionStore().load(id)).isPresent();
    }
  }

  @Test
  void a_missing_secret_is_a_warning_in_cluster_mode_only_and_a_short_one_in_any_mode() {
    SessionSecret strong = SessionSecret.parse("test", SECRET);
    SessionSecret weak = SessionSecret.parse("test", "c2hvcnQ=");

    assertThat(DefaultSessionService.secretWarning(DeploymentMode.STANDALONE, SessionSecret.none()))
        .isEmpty();
    assertThat(DefaultSessionService.secretWarning(DeploymentMode.CLUSTER, SessionSecret.none()))
        .get()
        .asString()
        .contains("BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY=true", "Never run");
    assertThat(DefaultSessionService.secretWarning(DeploymentMode.STANDALONE, strong)).isEmpty();
    assertThat(DefaultSessionService.secretWarning(DeploymentMode.CLUSTER, strong)).isEmpty();
    assertThat(DefaultSessionService.secretWarning(DeploymentMode.STANDALONE, weak))
        .get()
        .asString()
        .contains("shorter than 32 bytes")
        .doesNotContain("c2hvcnQ");
  }
}

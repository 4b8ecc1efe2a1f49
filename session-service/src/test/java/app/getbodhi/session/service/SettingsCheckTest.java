package app.getbodhi.session.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one check of the settings that connecting, doctor and Spring share. */
class SettingsCheckTest {

  private static final String SECRET = "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=";

  /**
   * An invalid value for every setting the check reads. A setting added to {@link
   * SettingsCheck#SETTINGS} needs a row here, or {@link #everySettingHasAnInvalidExample} fails.
   */
  static final Map<String, String> INVALID =
      Map.of(
          SettingService.BODHI_DEPLOYMENT, "clustered",
          SettingService.BODHI_SESSION_CLEANUP_INTERVAL, "300",
          SettingService.BODHI_SESSION_LIFETIME, "abc",
          SettingService.BODHI_SESSION_ACCESS_GRANULARITY, "2h",
          SettingService.BODHI_SESSION_SECURE_COOKIE, "yes",
          SettingService.BODHI_SESSION_SECRET, "not base64!",
          SettingService.BODHI_SESSION_SECRET_PREVIOUS, "also not base64!",
          SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY, "sure");

  @TempDir Path home;

  private final List<SessionStoreProvider> sqliteOnly = SessionStoreBackend.discoverProviders();

  /** The real SQLite backend, claiming nodes can share it: a store shared by nodes. */
  private final List<SessionStoreProvider> shared =
      List.of(SqliteOnlyClasspathTest.sharedVersionOf(sqliteOnly.get(0)));

  private SettingService settings(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.put(SettingService.BODHI_HOME, home.toString());
    return SettingService.of(settings);
  }

  @Test
  void everySettingHasAnInvalidExample() {
    assertThat(INVALID.keySet())
        .containsExactlyInAnyOrderElementsOf(
            SettingsCheck.SETTINGS.stream().map(SettingsCheck.Setting::name).toList());
  }

  @Test
  void eachInvalidSettingIsOneProblemNamingIt() {
    for (Map.Entry<String, String> invalid : INVALID.entrySet()) {
      SettingsCheck.Report report =
          SettingsCheck.run(settings(Map.of(invalid.getKey(), invalid.getValue())), sqliteOnly);

      assertThat(report.messages())
          .as(invalid.getKey())
          .singleElement()
          .asString()
          .startsWith(invalid.getKey())
          .doesNotContain("SessionStoreConfig");
    }
  }

  @Test
  void everyProblemIsReportedAndConnectingNamesThemAllWithoutOpeningTheStore() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put(SettingService.BODHI_SESSION_LIFETIME, "abc");
    bad.put(SettingService.BODHI_SESSION_SECURE_COOKIE, "yes");
    bad.put(SettingService.BODHI_SESSION_SECRET, "not base64!");
    SettingService settings = settings(bad);

    assertThat(SettingsCheck.run(settings, sqliteOnly).messages())
        .hasSize(3)
        .anySatisfy(m -> assertThat(m).startsWith("BODHI_SESSION_LIFETIME"))
        .anySatisfy(m -> assertThat(m).startsWith("BODHI_SESSION_SECURE_COOKIE"))
        .anySatisfy(m -> assertThat(m).startsWith("BODHI_SESSION_SECRET"));
    assertThatThrownBy(() -> DefaultSessionService.connect(settings))
        .isInstanceOf(SessionServiceException.class)
        .hasMessageStartingWith("3 settings problems: (1) BODHI_SESSION_LIFETIME")
        .hasMessageContaining("(2) BODHI_SESSION_SECURE_COOKIE")
        .hasMessageContaining("(3) BODHI_SESSION_SECRET");
    assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).doesNotExist();
  }

  @Test
  void clusterModeOnASharedStoreNeedsASecretAndSaysHowToMakeOneOrOptOut() {
    SettingsCheck.Report report =
        SettingsCheck.run(settings(Map.of(SettingService.BODHI_DEPLOYMENT, "cluster")), shared);

    assertThat(report.messages())
        .singleElement()
        .asString()
        .startsWith("BODHI_DEPLOYMENT=cluster needs a server secret")
        .contains("openssl rand -base64 32", "BODHI_SESSION_SECRET_FILE")
        .contains("BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY=true");
    assertThat(report.config()).isEmpty();
  }

  @Test
  void clusterModeStartsWithASecretFromAFileOrTheApiOrWithTheOptOut() throws Exception {
    Path file = Files.writeString(home.resolve("secret"), SECRET + "\n");
    String cluster = SettingService.BODHI_DEPLOYMENT;

    SettingsCheck.Report fromFile =
        SettingsCheck.run(
            settings(
                Map.of(
                    cluster, "cluster", SettingService.BODHI_SESSION_SECRET_FILE, file.toString())),
            shared);
    SettingsCheck.Report fromApi =
        SettingsCheck.run(
            settings(Map.of(cluster, "cluster")),
            SessionStoreConfig.defaults().withSecret(SessionSecret.parse("test", SECRET)),
            shared);
    SettingsCheck.Report optedOut =
        SettingsCheck.run(
            settings(
                Map.of(
                    cluster,
                    "cluster",
                    SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY,
                    "true")),
            shared);

    assertThat(fromFile.messages()).isEmpty();
    assertThat(fromFile.config().orElseThrow().secret())
        .isEqualTo(SessionSecret.parse("test", SECRET));
    assertThat(fromApi.messages()).isEmpty();
    assertThat(optedOut.messages()).isEmpty();
    assertThat(optedOut.config().orElseThrow().secret().isNone()).isTrue();
  }

  @Test
  void standaloneStartsWithoutASecret() {
    try (DefaultSessionService service = DefaultSessionService.connect(settings(Map.of()))) {
      assertThat(service.countSessionsForUser("nobody")).isZero();
    }
  }

  @Test
  void clusterModeOnALocalFileWithoutASecretReportsBoth() {
    SettingsCheck.Report report =
        SettingsCheck.run(settings(Map.of(SettingService.BODHI_DEPLOYMENT, "cluster")), sqliteOnly);

    assertThat(report.messages())
        .hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("needs a server secret"))
        .anySatisfy(m -> assertThat(m).contains("needs sessions in a database every node shares"));
  }
}

package app.getbodhi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.spi.SessionStoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server secrets as settings: from a variable or from the file its {@code _FILE} variable
 * names, {@code none} only where it means something, and messages that name what the user set.
 */
class SecretSettingsTest {

  private static final String KEY = "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=";
  private static final String OLD = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";

  @TempDir Path dir;

  private static AbstractThrowableAssert<?, ? extends Throwable> refused(ThrowingCallable read) {
    return assertThatThrownBy(read)
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION));
  }

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "content ''{0}''")
  @ValueSource(strings = {KEY, KEY + "\n", KEY + "\r\n", "  " + KEY + "\n\n"})
  void aSecretFileReadsAsTheSameValueInTheVariableWouldWithoutItsTrailingNewline(String content)
      throws Exception {
    Path secret = file("secret", content);

    SessionSecret fromFile =
        SettingService.of(Map.of(SettingService.BODHI_SESSION_SECRET_FILE, secret.toString()))
            .sessionSecret();

    assertThat(fromFile)
        .isEqualTo(SettingService.of(Map.of("BODHI_SESSION_SECRET", KEY)).sessionSecret());
    assertThat(fromFile.isNone()).isFalse();
  }

  @Test
  void thePreviousSecretReadsFromItsFileAndMayBeNoneThere() throws Exception {
    SettingService old =
        SettingService.of(
            Map.of(
                SettingService.BODHI_SESSION_SECRET,
                KEY,
                SettingService.BODHI_SESSION_SECRET_PREVIOUS_FILE,
                file("old", OLD + "\n").toString()));
    SettingService none =
        SettingService.of(
            Map.of(
                SettingService.BODHI_SESSION_SECRET,
                KEY,
                SettingService.BODHI_SESSION_SECRET_PREVIOUS_FILE,
                file("none", "none\n").toString()));

    assertThat(old.previousSessionSecret())
        .contains(SettingService.of(Map.of("BODHI_SESSION_SECRET", OLD)).sessionSecret());
    assertThat(none.previousSessionSecret()).contains(SessionSecret.none());
  }

  @Test
  void bothFormsOfOneSecretAreRefusedNamingBoth() throws Exception {
    SettingService settings =
        SettingService.of(
            Map.of(
                SettingService.BODHI_SESSION_SECRET,
                KEY,
                SettingService.BODHI_SESSION_SECRET_FILE,
                file("secret", KEY).toString()));
    SettingService previous =
        SettingService.of(
            Map.of(
                SettingService.BODHI_SESSION_SECRET_PREVIOUS,
                OLD,
                SettingService.BODHI_SESSION_SECRET_PREVIOUS_FILE,
                file("old", OLD).toString()));

    refused(settings::sessionSecret)
        .hasMessageContaining("BODHI_SESSION_SECRET and BODHI_SESSION_SECRET_FILE are both set")
        .hasMessageNotContaining(KEY);
    refused(previous::previousSessionSecret)
        .hasMessageContaining(
            "BODHI_SESSION_SECRET_PREVIOUS and BODHI_SESSION_SECRET_PREVIOUS_FILE are both set");
  }

  @Test
  void aFileThatCannotBeReadIsNamedWithItsVariableAndWhy() throws Exception {
    Path missing = dir.resolve("missing");
    Path folder = Files.createDirectory(dir.resolve("folder"));
    Path empty = file("empty", "\n");

    refused(() -> fileSecret(missing).sessionSecret())
        .hasMessage(
            "BODHI_SESSION_SECRET_FILE names the file '" + missing + "', which does not exist.");
    refused(() -> fileSecret(folder).sessionSecret())
        .hasMessage(
            "BODHI_SESSION_SECRET_FILE names the file '"
                + folder
                + "', which is a folder, not a file.");
    refused(() -> fileSecret(empty).sessionSecret())
        .hasMessageStartingWith("BODHI_SESSION_SECRET_FILE names the file '" + empty + "'")
        .hasMessageContaining("is empty");
  }

  @Test
  void aFileThatIsNotBase64IsRefusedWithoutQuotingItsContent() throws Exception {
    Path wrong = file("wrong", "hunter2 is my password\n");
    Path huge = file("huge", "A".repeat(SecretSettings.MAX_FILE_BYTES + 1));

    refused(() -> fileSecret(wrong).sessionSecret())
        .hasMessageContaining("BODHI_SESSION_SECRET_FILE")
        .hasMessageContaining("not base64")
        .hasMessageNotContaining("hunter2");
    refused(() -> fileSecret(huge).sessionSecret())
        .hasMessageContaining("too large for a secret")
        .hasMessageNotContaining("AAAA");
  }

  private static SettingService fileSecret(Path file) {
    return SettingService.of(Map.of(SettingService.BODHI_SESSION_SECRET_FILE, file.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "NONE", " None "})
  void noneIsNotACurrentSecret(String value) throws Exception {
    refused(() -> SettingService.of(Map.of("BODHI_SESSION_SECRET", value)).sessionSecret())
        .hasMessageStartingWith("BODHI_SESSION_SECRET is 'none', which is not a secret")
        .hasMessageContaining("leave BODHI_SESSION_SECRET unset")
        .hasMessageContaining("openssl rand -base64 32");
    refused(() -> fileSecret(file("none", value + "\n")).sessionSecret())
        .hasMessageStartingWith("BODHI_SESSION_SECRET_FILE is 'none', which is not a secret");
  }

  @Test
  void aPreviousSecretOfNoneWithoutACurrentOneSaysWhatToSetInTheUsersNames() {
    SettingService settings = SettingService.of(Map.of("BODHI_SESSION_SECRET_PREVIOUS", "none"));

    refused(() -> SessionStoreConfig.defaults().withSecretsFrom(settings))
        .hasMessageStartingWith("BODHI_SESSION_SECRET_PREVIOUS=none is for turning a secret on")
        .hasMessageContaining("set BODHI_SESSION_SECRET")
        .hasMessageNotContaining("SessionStoreConfig");
  }

  @Test
  void aPreviousSecretEqualToTheCurrentOneNamesTheVariablesAsSet() throws Exception {
    SettingService settings =
        SettingService.of(
            Map.of(
                SettingService.BODHI_SESSION_SECRET_FILE,
                file("secret", KEY + "\n").toString(),
                SettingService.BODHI_SESSION_SECRET_PREVIOUS,
                KEY));

    refused(() -> SessionStoreConfig.defaults().withSecretsFrom(settings))
        .hasMessageStartingWith(
            "BODHI_SESSION_SECRET_PREVIOUS holds the same secret as BODHI_SESSION_SECRET_FILE")
        .hasMessageNotContaining("SessionStoreConfig")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void theClusterOptOutIsOffUnlessSetToTrue() {
    String optOut = SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY;

    assertThat(SettingService.of(Map.of()).clusterWithoutSecretForTestingOnly()).isFalse();
    assertThat(SettingService.of(Map.of(optOut, "true")).clusterWithoutSecretForTestingOnly())
        .isTrue();
    refused(() -> SettingService.of(Map.of(optOut, "yes")).clusterWithoutSecretForTestingOnly())
        .hasMessage(optOut + " must be true or false, but is 'yes'.");
  }
}

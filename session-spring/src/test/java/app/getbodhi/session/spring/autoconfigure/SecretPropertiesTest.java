package app.getbodhi.session.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.DefaultSessionService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The server secret as Spring properties: the same rules as the library's settings, in property
 * names. Cluster mode (a store shared by nodes) does not start without a secret unless the
 * test-only opt-out is set; the secret may come from a file; {@code none} is no current secret.
 */
class SecretPropertiesTest {

  private static final String SECRET = "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=";

  /** A PostgreSQL URL nothing listens on: every refusal here comes before a connection. */
  private static final String NOWHERE = "postgres://bodhi:hunter2@127.0.0.1:1/sessions";

  @TempDir Path dir;

  private static WebApplicationContextRunner runner(String url) {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BodhiSessionAutoConfiguration.class))
        .withPropertyValues("bodhi.session.db-url=" + url, "bodhi.session.cleanup-interval=0");
  }

  /** The start-up failure's message that comes from the library, for further checks. */
  private static AbstractStringAssert<?> failure(AssertableWebApplicationContext context) {
    assertThat(context).hasFailed();
    List<String> messages = new ArrayList<>();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return assertThat(messages.get(messages.size() - 1))
        .doesNotContain("BODHI_", "SessionStoreConfig", "hunter2", SECRET);
  }

  @Test
  void clusterModeWithoutASecretFailsStartUpSayingHowToMakeOneAndHowToOptOut() {
    runner(NOWHERE)
        .withPropertyValues("bodhi.session.deployment=cluster")
        .run(
            context ->
                failure(context)
                    .startsWith("bodhi.session.deployment=cluster needs a server secret")
                    .contains("openssl rand -base64 32", "bodhi.session.secret-file")
                    .contains("bodhi.session.cluster-without-secret-for-testing-only=true"));
  }

  @Test
  void clusterModeStartsWithASecretFileOrWithTheOptOut() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), SECRET + "\n");
    try (PostgresSchema schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
      runner(schema.url())
          .withPropertyValues(
              "bodhi.session.deployment=cluster", "bodhi.session.secret-file=" + secret)
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(DefaultSessionService.class).backend().kind())
                    .isEqualTo("postgres");
              });
      runner(schema.url())
          .withPropertyValues(
              "bodhi.session.deployment=cluster",
              "bodhi.session.cluster-without-secret-for-testing-only=true")
          .run(context -> assertThat(context).hasNotFailed());
    }
  }

  @Test
  void theSecretAndItsFileTogetherAreRefusedNamingBothProperties() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), SECRET);
    runner(NOWHERE)
        .withPropertyValues("bodhi.session.secret=" + SECRET, "bodhi.session.secret-file=" + secret)
        .run(
            context ->
                failure(context)
                    .startsWith("bodhi.session.secret and bodhi.session.secret-file are both set"));
  }

  @Test
  void noneIsNoCurrentSecretAndAPreviousNoneNeedsOne() {
    runner(NOWHERE)
        .withPropertyValues("bodhi.session.secret=none")
        .run(
            context ->
                failure(context)
                    .startsWith("bodhi.session.secret is 'none', which is not a secret"));
    runner(NOWHERE)
        .withPropertyValues("bodhi.session.previous-secret=none")
        .run(
            context ->
                failure(context)
                    .startsWith("bodhi.session.previous-secret=none is for turning a secret on")
                    .contains("set bodhi.session.secret"));
  }

  @Test
  void anUnreadableSecretFileIsNamedByItsProperty() {
    Path missing = dir.resolve("missing");
    runner(NOWHERE)
        .withPropertyValues("bodhi.session.previous-secret-file=" + missing)
        .run(
            context ->
                failure(context)
                    .isEqualTo(
                        "bodhi.session.previous-secret-file names the file '"
                            + missing
                            + "', which does not exist."));
  }

  @Test
  void thePropertiesNeverShowTheSecret() {
    BodhiSessionProperties properties = new BodhiSessionProperties();
    properties.setSecretFile(dir.resolve("secret"));

    assertThat(properties.toString()).contains("secret=***");
  }
}

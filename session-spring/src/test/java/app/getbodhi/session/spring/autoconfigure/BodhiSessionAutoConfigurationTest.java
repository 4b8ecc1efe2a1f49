package app.getbodhi.session.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.metrics.MeteredSessionStore;
import app.getbodhi.session.spring.BodhiSessionRegistry;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.BodhiSessionRequestScope;
import app.getbodhi.session.spring.SessionAttributeCodec;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The auto-configuration in Boot's {@link WebApplicationContextRunner}, with Boot's own session
 * auto-configuration beside it as in an application: fast (no server), each case a context of its
 * own on a SQLite file of its own, the background cleaner off. What it configures, what backs off
 * for the application's own beans, and which properties reach the store and Spring Session.
 *
 * <p>A runner's context has a servlet context, so Boot treats it as a war deployment, where the
 * container's cookie and timeout apply and {@code server.servlet.session.*} does not; those two
 * properties are checked on an embedded server, by SmokeTest (the timeout) and
 * SpringFilterStatementCountTest (the cookie name).
 */
@ExtendWith(OutputCaptureExtension.class)
class BodhiSessionAutoConfigurationTest {

  @TempDir static Path dir;

  private final SqliteContextRunners runners = new SqliteContextRunners(dir);

  private WebApplicationContextRunner runner() {
    return runners.servlet();
  }

  private static String base64Secret(int bytes) {
    byte[] secret = new byte[bytes];
    new SecureRandom().nextBytes(secret);
    return Base64.getEncoder().encodeToString(secret);
  }

  // ---- what it configures ----

  @Test
  void the_store_repository_filter_registry_and_health_indicator_are_configured() {
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(DefaultSessionService.class);
              assertThat(context).hasSingleBean(BodhiSessionRepository.class);
              assertThat(context).hasSingleBean(SessionRepositoryFilter.class);
              assertThat(context)
                  .getBean(SessionRegistry.class)
                  .isInstanceOf(BodhiSessionRegistry.class);
              assertThat(context).hasBean("bodhiSessionHealthIndicator");
              assertThat(context).hasBean("bodhiSessionRequestScope");
              DefaultSessionService service = context.getBean(DefaultSessionService.class);
              assertThat(context.getBean(BodhiSessionRepository.class).store())
                  .isSameAs(service.getSessionStore());
              // the property's file, migrated; no cleaner, as cleanup-interval=0 says
              assertThat(runners.file()).exists();
              assertThat(service.backend().kind()).isEqualTo("sqlite");
              assertThat(service.cleaner()).isEmpty();
            });
  }

  @Test
  void the_request_scope_sits_just_outside_spring_sessions_filter() {
    runner()
        .run(
            context ->
                assertThat(
                        context.getBean("bodhiSessionRequestScope", FilterRegistrationBean.class))
                    .satisfies(
                        registration -> {
                          assertThat(registration.getFilter())
                              .isInstanceOf(BodhiSessionRequestScope.class);
                          assertThat(registration.getOrder())
                              .isEqualTo(SessionRepositoryFilter.DEFAULT_ORDER - 1);
                        }));
    runner()
        .withPropertyValues("spring.session.servlet.filter-order=100")
        .run(
            context ->
                assertThat(
                        context
                            .getBean("bodhiSessionRequestScope", FilterRegistrationBean.class)
                            .getOrder())
                    .isEqualTo(99));
  }

  @Test
  void the_health_indicator_reports_up_with_the_backend_and_schema_version() {
    runner()
        .run(
            context -> {
              Health health =
                  context.getBean("bodhiSessionHealthIndicator", HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("backend", "sqlite")
                  .containsEntry("schemaVersion", "5");
            });
  }

  @Test
  void with_a_meter_registry_every_store_operation_is_timed() {
    runner()
        .withBean(SimpleMeterRegistry.class)
        .run(
            context -> {
              SimpleMeterRegistry meters = context.getBean(SimpleMeterRegistry.class);
              BodhiSessionRepository repository = context.getBean(BodhiSessionRepository.class);

              repository.findById(SessionId.generate().value());

              List<Timer> timers =
                  new ArrayList<>(
                      meters
                          .find(MeteredSessionStore.OPERATIONS)
                          .tag(MeteredSessionStore.TAG_BACKEND, "sqlite")
                          .tag(MeteredSessionStore.TAG_OUTCOME, MeteredSessionStore.SUCCESS)
                          .timers());
              assertThat(timers).isNotEmpty();
              assertThat(timers.stream().mapToLong(Timer::count).sum()).isPositive();
            });
  }

  // ---- backing off ----

  @Test
  void an_applications_own_session_repository_replaces_ours() {
    runner()
        .withBean(
            MapSessionRepository.class,
            () -> new MapSessionRepository(new java.util.concurrent.ConcurrentHashMap<>()))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(BodhiSessionRepository.class);
              assertThat(context).hasSingleBean(SessionRepository.class);
              assertThat(context).hasSingleBean(SessionRepositoryFilter.class);
            });
  }

  @Test
  void an_applications_own_session_registry_replaces_ours() {
    runner()
        .withBean(SessionRegistry.class, SessionRegistryImpl::new)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(BodhiSessionRegistry.class);
              assertThat(context)
                  .getBean(SessionRegistry.class)
                  .isInstanceOf(SessionRegistryImpl.class);
            });
  }

  /** A codec that records what it was asked to encode and stores it as text. */
  static final class RecordingCodec implements SessionAttributeCodec {
    final List<String> encoded = new ArrayList<>();

    @Override
    public Object encode(String name, Object value) {
      encoded.add(name);
      return String.valueOf(value);
    }

    @Override
    public Object decode(String name, Object stored) {
      return stored;
    }
  }

  @Test
  void an_applications_own_codec_replaces_ours_and_the_repository_uses_it() {
    runner()
        .withBean(SessionAttributeCodec.class, RecordingCodec::new)
        .run(
            context -> {
              RecordingCodec codec = (RecordingCodec) context.getBean(SessionAttributeCodec.class);
              BodhiSessionRepository repository = context.getBean(BodhiSessionRepository.class);

              repository.createSession().setAttribute("seen", new StringBuilder("not JSON"));

              assertThat(codec.encoded).containsExactly("seen");
            });
  }

  /** A service of the application's own, on a file of its own. */
  @Configuration(proxyBeanMethods = false)
  static class OwnService {
    static final Path FILE = dir.resolve("own-service.sqlite");

    @Bean(destroyMethod = "close")
    DefaultSessionService ownSessionService() {
      return DefaultSessionService.connect(
          SettingService.of(
              Map.of(
                  SettingService.BODHI_SESSION_DB_URL,
                  "sqlite:" + FILE,
                  SettingService.BODHI_SESSION_CLEANUP_INTERVAL,
                  "off")));
    }
  }

  @Test
  void an_applications_own_session_service_replaces_ours_and_everything_runs_on_it() {
    runner()
        .withUserConfiguration(OwnService.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(DefaultSessionService.class);
              DefaultSessionService own = context.getBean(DefaultSessionService.class);
              assertThat(context).getBean("ownSessionService").isSameAs(own);
              assertThat(context.getBean(BodhiSessionRepository.class).store())
                  .isSameAs(own.getSessionStore());
              assertThat(OwnService.FILE).exists();
              assertThat(runners.file()).doesNotExist();
            });
  }

  @Test
  void bodhi_session_enabled_false_turns_it_all_off() {
    runner()
        .withPropertyValues("bodhi.session.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(DefaultSessionService.class);
              assertThat(context).doesNotHaveBean(BodhiSessionRepository.class);
              assertThat(context).doesNotHaveBean(SessionRepositoryFilter.class);
              assertThat(context).doesNotHaveBean(SessionRegistry.class);
              assertThat(context).doesNotHaveBean("bodhiSessionRequestScope");
              assertThat(runners.file()).doesNotExist();
            });
  }

  // ---- properties ----

  @Test
  void without_a_db_url_the_sqlite_file_lives_in_bodhi_session_home() {
    Path home = dir.resolve("home-" + UUID.randomUUID());
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BodhiSessionAutoConfiguration.class))
        .withPropertyValues("bodhi.session.home=" + home, "bodhi.session.cleanup-interval=0")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(home.resolve(SettingService.SESSION_DB_FILE_NAME)).exists();
            });
  }

  @Test
  void a_postgresql_db_url_is_honoured_and_may_run_in_cluster_mode() {
    try (PostgresSchema schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BodhiSessionAutoConfiguration.class))
          .withPropertyValues(
              "bodhi.session.db-url=" + schema.url(),
              "bodhi.session.deployment=cluster",
              "bodhi.session.secret=" + base64Secret(32),
              "bodhi.session.cleanup-interval=0")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(DefaultSessionService.class).backend().kind())
                    .isEqualTo("postgres");
                assertThat(schema.tableNames()).contains("bodhi_sessions");
              });
    }
  }

  @Test
  void spring_session_timeout_reaches_the_layer_and_new_sessions() {
    runner()
        .withPropertyValues("spring.session.timeout=5m")
        .run(
            context -> {
              assertThat(context.getBean(DefaultSessionService.class).sessionLayer().expiry())
                  .isEqualTo(Duration.ofMinutes(5));
              assertThat(
                      context
                          .getBean(BodhiSessionRepository.class)
                          .createSession()
                          .getMaxInactiveInterval())
                  .isEqualTo(Duration.ofMinutes(5));
            });
  }

  @Test
  void spring_session_timeout_wins_over_the_containers() {
    // the runner's context has a servlet context, so Boot takes it for a war deployment: the
    // container's timeout applies, unless spring.session.timeout says otherwise (that the server's
    // property reaches the layer on an embedded server is SmokeTest's to check)
    runner()
        .withPropertyValues("spring.session.timeout=5m", "server.servlet.session.timeout=7m")
        .run(
            context ->
                assertThat(context.getBean(DefaultSessionService.class).sessionLayer().expiry())
                    .isEqualTo(Duration.ofMinutes(5)));
  }

  @Test
  void
      in_a_war_deployment_whose_container_sets_no_timeout_boots_default_of_thirty_minutes_applies() {
    // Boot's SessionTimeout answers null here; that once failed start-up
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(DefaultSessionService.class).sessionLayer().expiry())
                  .isEqualTo(Duration.ofMinutes(30));
            });
  }

  @Test
  void cluster_mode_on_sqlite_fails_start_up_naming_both_properties() {
    runner()
        .withPropertyValues("bodhi.session.deployment=cluster")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              List<String> messages = new ArrayList<>();
              for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.add(String.valueOf(t.getMessage()));
              }
              assertThat(messages)
                  .anySatisfy(
                      message ->
                          assertThat(message)
                              .contains("bodhi.session.deployment=cluster")
                              .contains("bodhi.session.db-url")
                              .doesNotContain("BODHI_"));
              assertThat(runners.file()).doesNotExist();
            });
  }

  @Test
  void an_unknown_deployment_mode_fails_start_up_naming_the_property() {
    runner()
        .withPropertyValues("bodhi.session.deployment=clustered")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("bodhi.session.deployment")
                  .hasMessageContaining("clustered");
            });
  }

  @Test
  void a_short_secret_starts_with_a_warning_that_never_shows_the_secret(CapturedOutput output) {
    String secret = base64Secret(16);
    runner()
        .withPropertyValues("bodhi.session.secret=" + secret)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(BodhiSessionProperties.class).toString())
                  .doesNotContain(secret);
            });

    assertThat(output).contains("shorter than 32 bytes").doesNotContain(secret);
  }
}

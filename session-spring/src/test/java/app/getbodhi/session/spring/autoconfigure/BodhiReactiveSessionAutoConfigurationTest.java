package app.getbodhi.session.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.reactive.BodhiReactiveSessionRepository;
import app.getbodhi.session.spring.reactive.StoreScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.security.SpringSessionBackedReactiveSessionRegistry;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

/**
 * The reactive auto-configuration in Boot's {@link ReactiveWebApplicationContextRunner}, beside
 * Boot's own WebFlux and session auto-configurations as in an application: each case a context of
 * its own on a SQLite file of its own, the background cleaner off.
 */
class BodhiReactiveSessionAutoConfigurationTest {

  @TempDir static Path dir;

  private final SqliteContextRunners runners = new SqliteContextRunners(dir);

  private ReactiveWebApplicationContextRunner runner() {
    return runners.reactive();
  }

  @Test
  void the_store_repository_session_manager_registry_and_health_indicator_are_configured() {
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              DefaultSessionService service = context.getBean(DefaultSessionService.class);
              assertThat(context.getBean(BodhiReactiveSessionRepository.class).blocking().store())
                  .isSameAs(service.getSessionStore());
              assertThat(runners.file()).exists();
              assertThat(context.getBean(ReactiveSessionRegistry.class))
                  .isInstanceOf(SpringSessionBackedReactiveSessionRegistry.class);
              assertThat(context).hasSingleBean(ServerWebExchangeContextFilter.class);
              assertThat(
                      context
                          .getBean("bodhiSessionHealthIndicator", HealthIndicator.class)
                          .health())
                  .extracting(Health::getStatus)
                  .isEqualTo(Status.UP);
              // Spring Session's manager over our repository, not WebFlux's in-memory one
              WebSessionManager manager =
                  context.getBean(
                      WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME, WebSessionManager.class);
              assertThat(manager).isInstanceOf(DefaultWebSessionManager.class);
              assertThat(((DefaultWebSessionManager) manager).getSessionStore())
                  .isInstanceOf(SpringSessionWebSessionStore.class);
              // nothing of the servlet side
              assertThat(context).doesNotHaveBean(BodhiSessionRepository.class);
              assertThat(context).doesNotHaveBean(SessionRepositoryFilter.class);
              assertThat(context).doesNotHaveBean("bodhiSessionRequestScope");
            });
  }

  @Test
  void the_store_threads_match_the_store_pool_and_the_queue_follows_its_property() {
    runner()
        .run(
            context ->
                assertThat(context.getBean(StoreScheduler.class))
                    .satisfies(
                        s -> {
                          assertThat(s.threads())
                              .isEqualTo(SessionStoreConfig.DEFAULT_MAXIMUM_POOL_SIZE);
                          assertThat(s.queuePerThread())
                              .isEqualTo(StoreScheduler.DEFAULT_QUEUE_PER_THREAD);
                        }));
    runner()
        .withPropertyValues("bodhi.session.reactive.queue-per-thread=7")
        .run(
            context ->
                assertThat(context.getBean(StoreScheduler.class).queuePerThread()).isEqualTo(7));
  }

  @Test
  void a_queue_out_of_range_stops_the_start_naming_the_property() {
    runner()
        .withPropertyValues("bodhi.session.reactive.queue-per-thread=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("bodhi.session.reactive.queue-per-thread")
                    .hasMessageContaining("between 1 and"));
  }

  @Test
  void boots_reactive_cookie_and_timeout_properties_reach_the_session_manager_and_the_store() {
    runner()
        .withPropertyValues(
            "server.reactive.session.cookie.name=MYSESSION", "server.reactive.session.timeout=45m")
        .run(
            context -> {
              DefaultWebSessionManager manager =
                  context.getBean(
                      WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME,
                      DefaultWebSessionManager.class);
              assertThat(manager.getSessionIdResolver())
                  .isInstanceOfSatisfying(
                      CookieWebSessionIdResolver.class,
                      r -> assertThat(r.getCookieName()).isEqualTo("MYSESSION"));
              assertThat(context.getBean(DefaultSessionService.class).sessionLayer().expiry())
                  .isEqualTo(Duration.ofMinutes(45));
            });
  }

  @Test
  void an_applications_own_reactive_repository_replaces_ours_and_security_keeps_its_default() {
    runner()
        .withBean(
            ReactiveMapSessionRepository.class,
            () -> new ReactiveMapSessionRepository(new ConcurrentHashMap<>()))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(BodhiReactiveSessionRepository.class);
              assertThat(context).hasSingleBean(ReactiveSessionRepository.class);
              assertThat(context.getBean(ReactiveSessionRegistry.class))
                  .isInstanceOf(InMemoryReactiveSessionRegistry.class);
            });
  }

  @Test
  void switched_off_or_in_a_servlet_application_it_configures_nothing() {
    runner()
        .withPropertyValues("bodhi.session.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(DefaultSessionService.class);
              assertThat(context).doesNotHaveBean(BodhiReactiveSessionRepository.class);
            });
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BodhiReactiveSessionAutoConfiguration.class))
        .withPropertyValues("bodhi.session.db-url=sqlite:" + dir.resolve("servlet.sqlite"))
        .run(context -> assertThat(context).doesNotHaveBean(BodhiReactiveSessionRepository.class));
  }
}

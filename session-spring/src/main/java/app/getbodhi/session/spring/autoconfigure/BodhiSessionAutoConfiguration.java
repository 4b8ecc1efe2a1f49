package app.getbodhi.session.spring.autoconfigure;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.metrics.MeteredSessionStore;
import app.getbodhi.session.spring.BodhiSessionRegistry;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.BodhiSessionRequestScope;
import app.getbodhi.session.spring.JacksonAttributeCodec;
import app.getbodhi.session.spring.JsonOnlyAttributeCodec;
import app.getbodhi.session.spring.SessionAttributeCodec;
import app.getbodhi.session.spring.SessionStoreCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.web.http.SessionRepositoryFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Session on the bodhi-sessions store, with the dependency on the classpath: the store
 * ({@code bodhi.session.*}), migrated at start-up, with the expired-session cleaner; a {@link
 * BodhiSessionRepository} behind Spring Session's own {@link SessionRepositoryFilter}; Spring
 * Security's {@link SessionRegistry}; an Actuator health indicator and Micrometer metrics when
 * those are present. Runs before Boot's {@link SessionAutoConfiguration}, which then registers the
 * filter and takes the cookie from {@code server.servlet.session.cookie.*} and the timeout from
 * {@code spring.session.timeout} / {@code server.servlet.session.timeout}. Every bean backs off
 * when the application declares its own.
 */
@AutoConfiguration(before = SessionAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SessionRepository.class, ManagedSessionStore.class})
@ConditionalOnProperty(
    prefix = "bodhi.session",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(BodhiSessionProperties.class)
@Import(BodhiSessionServices.class)
public class BodhiSessionAutoConfiguration {

  /**
   * The Spring Session repository.
   *
   * @param service the store
   * @param codec what stores attributes that are not JSON
   * @param properties {@code bodhi.session.serialization.allowed-packages} puts JDK serialization,
   *     for those packages, in front of the codec
   * @return the repository
   */
  @Bean
  @ConditionalOnMissingBean(SessionRepository.class)
  public BodhiSessionRepository sessionRepository(
      DefaultSessionService service,
      SessionAttributeCodec codec,
      BodhiSessionProperties properties) {
    return BodhiSessionServices.repositoryOf(service, codec, properties);
  }

  /**
   * Marks each request for the repository, just outside Spring Session's filter, so that the
   * filter's second lookup of the session after committing it costs no statement (see {@link
   * BodhiSessionRequestScope}). Follows {@code spring.session.servlet.filter-order}.
   *
   * @param sessionProperties Boot's {@code spring.session.*}, when bound
   * @return the registration
   */
  @Bean
  @ConditionalOnMissingBean(name = "bodhiSessionRequestScope")
  @ConditionalOnBean(BodhiSessionRepository.class)
  public FilterRegistrationBean<BodhiSessionRequestScope> bodhiSessionRequestScope(
      BodhiSessionRepository repository, ObjectProvider<SessionProperties> sessionProperties) {
    int sessionFilterOrder =
        sessionProperties.stream()
            .map(p -> p.getServlet().getFilterOrder())
            .findFirst()
            .orElse(SessionRepositoryFilter.DEFAULT_ORDER);
    FilterRegistrationBean<BodhiSessionRequestScope> registration =
        new FilterRegistrationBean<>(new BodhiSessionRequestScope(repository));
    registration.setOrder(
        sessionFilterOrder == Integer.MIN_VALUE ? sessionFilterOrder : sessionFilterOrder - 1);
    registration.setDispatcherTypes(
        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    return registration;
  }

  /** Spring Session's filter over whichever repository is in the context. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(SessionRepositoryFilter.class)
  @EnableSpringHttpSession
  static class SpringHttpSession {}

  /** Spring Security's types through Jackson, when both are present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({SecurityJacksonModules.class, JsonMapper.class})
  static class JacksonCodec {
    @Bean
    @ConditionalOnMissingBean
    SessionAttributeCodec bodhiSessionAttributeCodec() {
      return JacksonAttributeCodec.withSecurityModules();
    }
  }

  /**
   * JSON values only, otherwise. Conditional on the Jackson codec's classes being absent, not only
   * on a missing bean: Spring does not promise to process nested configurations in declaration
   * order, and when it took this one first, every application got the JSON-only codec, which
   * refuses Spring Security's CSRF token on the first form.
   */
  @Configuration(proxyBeanMethods = false)
  @Conditional(JacksonCodecUnavailable.class)
  static class JsonOnlyCodec {
    @Bean
    @ConditionalOnMissingBean
    SessionAttributeCodec bodhiSessionAttributeCodec() {
      return new JsonOnlyAttributeCodec();
    }
  }

  /** Matches when {@link JacksonCodec}'s classes are not all present. */
  static class JacksonCodecUnavailable extends NoneNestedConditions {
    JacksonCodecUnavailable() {
      super(ConfigurationPhase.PARSE_CONFIGURATION);
    }

    @ConditionalOnClass(
        name = {
          "org.springframework.security.jackson.SecurityJacksonModules",
          "tools.jackson.databind.json.JsonMapper"
        })
    static class JacksonCodecClasses {}
  }

  /** Spring Security's session registry over the store. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(SessionRegistry.class)
  static class Security {
    @Bean
    @ConditionalOnMissingBean(SessionRegistry.class)
    BodhiSessionRegistry bodhiSessionRegistry(
        DefaultSessionService service,
        ObjectProvider<BodhiSessionRepository> repository,
        SessionAttributeCodec codec,
        BodhiSessionProperties properties) {
      // the application's own repository when it is ours, so lookups share its request scope;
      // otherwise one that reads values as the application's repository would
      return new BodhiSessionRegistry(
          repository.getIfAvailable(
              () -> BodhiSessionServices.repositoryOf(service, codec, properties)));
    }
  }

  /** Actuator's health indicator, {@code bodhiSession} in {@code /actuator/health}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "bodhiSessionHealthIndicator")
    HealthIndicator bodhiSessionHealthIndicator(DefaultSessionService service) {
      return new BodhiSessionHealthIndicator(service.getSessionStore());
    }
  }

  /** Times every store operation in the application's Micrometer registry, when there is one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    SessionStoreCustomizer bodhiSessionMetrics(ObjectProvider<MeterRegistry> registry) {
      return store -> {
        MeterRegistry meters = registry.getIfAvailable();
        return meters == null ? store : new MeteredSessionStore(store, meters);
      };
    }
  }
}

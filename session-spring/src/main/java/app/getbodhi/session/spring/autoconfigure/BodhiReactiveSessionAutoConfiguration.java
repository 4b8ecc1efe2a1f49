package app.getbodhi.session.spring.autoconfigure;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spring.JacksonAttributeCodec;
import app.getbodhi.session.spring.SessionAttributeCodec;
import app.getbodhi.session.spring.reactive.BodhiReactiveSessionRepository;
import app.getbodhi.session.spring.reactive.StoreScheduler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;
import org.springframework.session.security.SpringSessionBackedReactiveSessionRegistry;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * Spring Session on the bodhi-sessions store for a reactive (WebFlux) application: the same store
 * as {@link BodhiSessionAutoConfiguration} sets up for a servlet application ({@code
 * bodhi.session.*}, migrated at start-up, with its cleaner, health indicator, metrics and attribute
 * codec), a {@link BodhiReactiveSessionRepository} whose store calls run on a {@link
 * StoreScheduler} sized to the store's connection pool, and the {@code WebSessionManager} through
 * Spring Session's {@code SpringSessionWebSessionStore}, taking its cookie from Boot's {@code
 * server.reactive.session.cookie.*} and the timeout from {@code spring.session.timeout} / {@code
 * server.reactive.session.timeout}. With Spring Security, a {@link ReactiveSessionRegistry} over
 * the store, so {@code maximumSessions(n)} holds across every node. Every bean backs off when the
 * application declares its own.
 *
 * <p>The nested configurations repeat the reactive condition: an application whose component scan
 * covers this package would otherwise pick them up on their own, in a servlet application too.
 */
@AutoConfiguration(
    before = SessionAutoConfiguration.class,
    beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({
  ReactiveSessionRepository.class,
  WebHandler.class,
  Mono.class,
  ManagedSessionStore.class
})
@ConditionalOnProperty(
    prefix = "bodhi.session",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties({BodhiSessionProperties.class, BodhiReactiveSessionProperties.class})
@Import({
  BodhiSessionServices.class,
  BodhiReactiveSessionAutoConfiguration.JacksonCodec.class,
  BodhiSessionAutoConfiguration.JsonOnlyCodec.class,
  BodhiSessionAutoConfiguration.Health.class,
  BodhiSessionAutoConfiguration.Metrics.class
})
public class BodhiReactiveSessionAutoConfiguration {

  /**
   * The threads the store's blocking calls run on: one per pooled connection of the store the
   * service opens, with a bounded queue.
   *
   * @param properties {@code bodhi.session.reactive.*}
   * @return the scheduler, stopped with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public StoreScheduler bodhiStoreScheduler(BodhiReactiveSessionProperties properties) {
    return StoreScheduler.create(
        SessionStoreConfig.DEFAULT_MAXIMUM_POOL_SIZE, properties.getQueuePerThread());
  }

  /**
   * The reactive Spring Session repository.
   *
   * @param service the store
   * @param codec what stores attributes that are not JSON
   * @param properties {@code bodhi.session.serialization.allowed-packages} puts JDK serialization,
   *     for those packages, in front of the codec
   * @param scheduler where the store calls run
   * @return the repository
   */
  @Bean
  @ConditionalOnMissingBean(ReactiveSessionRepository.class)
  public BodhiReactiveSessionRepository reactiveSessionRepository(
      DefaultSessionService service,
      SessionAttributeCodec codec,
      BodhiSessionProperties properties,
      StoreScheduler scheduler) {
    return new BodhiReactiveSessionRepository(
        BodhiSessionServices.repositoryOf(service, codec, properties), scheduler);
  }

  /**
   * Puts the exchange into the Reactor context of every request, first of all filters, so that the
   * repository can tell the request's own session when it lists a user's sessions (see {@link
   * BodhiReactiveSessionRepository}).
   *
   * @return the filter
   */
  @Bean
  @ConditionalOnMissingBean(ServerWebExchangeContextFilter.class)
  public ServerWebExchangeContextFilter bodhiExchangeContextFilter() {
    return new OrderedExchangeContextFilter();
  }

  /** Spring's filter, ordered first so every later filter's work sees the exchange. */
  static final class OrderedExchangeContextFilter extends ServerWebExchangeContextFilter
      implements Ordered {
    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /**
   * Spring Security's types through Jackson, when both are present, as for a servlet application,
   * and WebFlux's CSRF token too: Spring Security's Jackson modules register its mix-in but leave
   * the type off their allow-list, so without it the first form of a WebFlux application would
   * fail.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({SecurityJacksonModules.class, JsonMapper.class})
  static class JacksonCodec {

    /**
     * WebFlux's CSRF token, by name (a prefix of class names to allow: the one class): Spring
     * Security's web module may be absent.
     */
    static final String SERVER_CSRF_TOKEN =
        "org.springframework.security.web.server.csrf.DefaultCsrfToken";

    @Bean
    @ConditionalOnMissingBean
    SessionAttributeCodec bodhiSessionAttributeCodec() {
      BasicPolymorphicTypeValidator.Builder types =
          BasicPolymorphicTypeValidator.builder().allowIfSubType(SERVER_CSRF_TOKEN);
      return new JacksonAttributeCodec(
          JsonMapper.builder()
              .addModules(
                  SecurityJacksonModules.getModules(JacksonCodec.class.getClassLoader(), types))
              .build());
    }
  }

  /**
   * Spring Session's {@code WebSessionManager} over whichever reactive repository is in the
   * context, with Boot's cookie resolver ({@code server.reactive.session.cookie.*}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnMissingBean(name = WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
  @EnableSpringWebSession
  static class SpringWebSession {}

  /**
   * Spring Security's reactive session registry over the store, through Spring Session's own
   * adapter: a user's sessions come from the store's principal index, so a limit holds on every
   * node. When the application replaced the session repository, Spring Security's in-memory
   * registry, as it would use without this auto-configuration.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass({
    ReactiveSessionRegistry.class,
    SpringSessionBackedReactiveSessionRegistry.class
  })
  static class Security {
    @Bean
    @ConditionalOnMissingBean(ReactiveSessionRegistry.class)
    ReactiveSessionRegistry bodhiReactiveSessionRegistry(
        ObjectProvider<BodhiReactiveSessionRepository> repository) {
      BodhiReactiveSessionRepository ours = repository.getIfAvailable();
      return ours == null
          ? new InMemoryReactiveSessionRegistry()
          : new SpringSessionBackedReactiveSessionRegistry<>(ours, ours);
    }
  }
}

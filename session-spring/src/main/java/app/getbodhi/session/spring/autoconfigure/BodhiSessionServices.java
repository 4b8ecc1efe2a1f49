package app.getbodhi.session.spring.autoconfigure;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.SerializingAttributeCodec;
import app.getbodhi.session.spring.SessionAttributeCodec;
import app.getbodhi.session.spring.SessionStoreCustomizer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.system.ApplicationHome;
import org.springframework.context.annotation.Bean;

/**
 * The store, opened the same way for both auto-configurations, servlet and reactive, which import
 * this configuration; it holds no servlet type, so a WebFlux application without the servlet API
 * can use it.
 *
 * <p>Not annotated {@code @Configuration}: an import needs no annotation, and an application whose
 * component scan covers this package would otherwise register it as its own configuration, before
 * the auto-configurations, and so open a second store beside the application's own.
 */
class BodhiSessionServices {

  /** Boot's own default session timeout, when no {@link SessionTimeout} bean says otherwise. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  /**
   * The store and its cleaner, migrated; closed with the context.
   *
   * @param properties {@code bodhi.session.*}
   * @param timeout Boot's session timeout
   * @param customizers wrap the store (metrics)
   * @return the service
   * @throws SessionServiceException when the store cannot be opened or the properties do not fit
   *     together; the message names the properties to change
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  DefaultSessionService bodhiSessionService(
      BodhiSessionProperties properties,
      ObjectProvider<SessionTimeout> timeout,
      ObjectProvider<SessionStoreCustomizer> customizers) {
    // Boot's SessionTimeout answers null in a war deployment whose container sets no timeout
    Duration lifetime =
        timeout.stream()
            .map(SessionTimeout::getTimeout)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(DEFAULT_TIMEOUT);
    Path home = new ApplicationHome().getDir().toPath();
    List<SessionStoreCustomizer> ordered = customizers.orderedStream().toList();
    try {
      return DefaultSessionService.connect(
          SettingService.of(properties.toSettings(home, lifetime)),
          SessionStoreConfig.defaults(),
          store -> {
            ManagedSessionStore customized = store;
            for (SessionStoreCustomizer customizer : ordered) {
              customized = customizer.customize(customized);
            }
            return customized;
          });
    } catch (SessionServiceException e) {
      // the library's messages name its settings (BODHI_DEPLOYMENT=...); say what to set here
      SessionServiceException renamed =
          new SessionServiceException(
              e.kind(), BodhiSessionProperties.inPropertyNames(e.getMessage()), e.getCause());
      renamed.setStackTrace(e.getStackTrace());
      throw renamed;
    }
  }

  /**
   * The servlet repository over the store, as both auto-configurations build it (the reactive one
   * runs it on its scheduler).
   *
   * @param service the store
   * @param codec what stores attributes that are not JSON
   * @param properties {@code bodhi.session.serialization.allowed-packages} puts JDK serialization,
   *     for those packages, in front of the codec
   * @return the repository
   */
  static BodhiSessionRepository repositoryOf(
      DefaultSessionService service,
      SessionAttributeCodec codec,
      BodhiSessionProperties properties) {
    List<String> serializable = properties.getSerialization().getAllowedPackages();
    SessionAttributeCodec values =
        serializable.isEmpty()
            ? codec
            : new SerializingAttributeCodec(
                serializable, codec, BodhiSessionServices.class.getClassLoader());
    return new BodhiSessionRepository(service.getSessionStore(), service.sessionLayer(), values);
  }
}

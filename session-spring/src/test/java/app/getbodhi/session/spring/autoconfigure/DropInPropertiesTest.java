package app.getbodhi.session.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.reactive.BodhiReactiveSessionRepository;
import app.getbodhi.session.spring.shop.Cart;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;
import org.springframework.session.Session;

/**
 * {@code bodhi.session.serialization.allowed-packages} (off by default, an allow-list when set) and
 * {@code bodhi.session.access-granularity}.
 */
class DropInPropertiesTest {

  /** The longest a reactive call here may take. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir static Path dir;

  private final SqliteContextRunners runners = new SqliteContextRunners(dir);

  private static Duration accessGranularity(ApplicationContext context) {
    return context.getBean(DefaultSessionService.class).sessionLayer().accessGranularity();
  }

  @Test
  void by_default_an_application_type_is_refused() {
    runners
        .servlet()
        .run(
            context -> {
              Session session = context.getBean(BodhiSessionRepository.class).createSession();

              assertThatThrownBy(() -> session.setAttribute("cart", new Cart(List.of(), null)))
                  .isInstanceOf(SessionServiceException.class)
                  .hasMessageContaining("'cart'");
            });
  }

  @Test
  void the_allowed_packages_store_their_serializable_types() {
    runners
        .servlet()
        .withPropertyValues(
            "bodhi.session.serialization.allowed-packages=app.getbodhi.session.spring.shop")
        .run(
            context -> {
              BodhiSessionRepository repository = context.getBean(BodhiSessionRepository.class);
              Session session = repository.createSession();
              Cart cart = new Cart(List.of("apples"), null);
              session.setAttribute("cart", cart);
              repository.save(session);

              assertThat(repository.findById(session.getId()).<Cart>getAttribute("cart"))
                  .isEqualTo(cart);
            });
  }

  @Test
  void the_allowed_packages_store_their_serializable_types_in_a_webflux_application_too() {
    runners
        .reactive()
        .withPropertyValues(
            "bodhi.session.serialization.allowed-packages=app.getbodhi.session.spring.shop")
        .run(
            context -> {
              BodhiReactiveSessionRepository repository =
                  context.getBean(BodhiReactiveSessionRepository.class);
              Session session = repository.createSession().block(TIMEOUT);
              Cart cart = new Cart(List.of("apples"), null);
              session.setAttribute("cart", cart);
              repository.save(session).block(TIMEOUT);

              assertThat(
                      repository
                          .findById(session.getId())
                          .block(TIMEOUT)
                          .<Cart>getAttribute("cart"))
                  .isEqualTo(cart);
            });
  }

  @Test
  void a_wildcard_fails_the_start_naming_the_property() {
    runners
        .servlet()
        .withPropertyValues("bodhi.session.serialization.allowed-packages=*")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(SessionServiceException.class)
                    .hasMessageStartingWith("bodhi.session.serialization.allowed-packages"));
  }

  @Test
  void the_access_granularity_reaches_the_session_layer() {
    runners
        .servlet()
        .withPropertyValues("bodhi.session.access-granularity=0s")
        .run(context -> assertThat(accessGranularity(context)).isZero());
    runners
        .servlet()
        .run(context -> assertThat(accessGranularity(context)).isEqualTo(Duration.ofMinutes(5)));
  }

  @Test
  void an_access_granularity_over_an_hour_fails_the_start_naming_the_property() {
    runners
        .servlet()
        .withPropertyValues("bodhi.session.access-granularity=2h")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("bodhi.session.access-granularity")
                    .hasMessageNotContaining("BODHI_SESSION_ACCESS_GRANULARITY"));
  }
}

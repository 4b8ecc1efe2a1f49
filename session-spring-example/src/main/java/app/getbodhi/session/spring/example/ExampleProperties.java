package app.getbodhi.session.spring.example;

import app.getbodhi.session.example.DemoUsers;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The example's own settings, {@code example.*}.
 *
 * @param maximumSessions how many sessions one user may have at once ({@code 0}, the default, for
 *     no limit). Logging in once more logs out the user's least recently active session, on
 *     whichever node it is used: Spring Security's {@code maximumSessions(n)} over the store's
 *     session registry.
 * @param password the password of the three demo users {@code alice}, {@code bob} and {@code
 *     carol}; {@code bodhi} unless set
 * @param sessionRegistry which session registry enforces {@code maximum-sessions}: {@code bodhi}
 *     (the default), the auto-configured {@code BodhiSessionRegistry}, or {@code spring}, Spring
 *     Session's own {@code SpringSessionBackedSessionRegistry} over the session repository, wired
 *     as Spring Session documents it
 */
@ConfigurationProperties("example")
public record ExampleProperties(Integer maximumSessions, String password, String sessionRegistry) {

  /** {@code example.session-registry} for the auto-configured registry, the default. */
  public static final String BODHI_REGISTRY = "bodhi";

  /** {@code example.session-registry} for Spring Session's own registry. */
  public static final String SPRING_REGISTRY = "spring";

  /** Fills in the defaults and refuses a negative limit. */
  public ExampleProperties {
    maximumSessions = DemoUsers.maximumSessions(maximumSessions);
    password = DemoUsers.password(password);
    if (sessionRegistry == null || sessionRegistry.isEmpty()) {
      sessionRegistry = BODHI_REGISTRY;
    }
    if (!sessionRegistry.equals(BODHI_REGISTRY) && !sessionRegistry.equals(SPRING_REGISTRY)) {
      throw new IllegalArgumentException(
          "example.session-registry must be "
              + BODHI_REGISTRY
              + " or "
              + SPRING_REGISTRY
              + ", not "
              + sessionRegistry);
    }
  }

  /** Names the limit, never the password. */
  @Override
  public String toString() {
    return "ExampleProperties[maximumSessions="
        + maximumSessions
        + ", sessionRegistry="
        + sessionRegistry
        + "]";
  }
}

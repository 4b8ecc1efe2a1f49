package app.getbodhi.session.webflux.example;

import app.getbodhi.session.example.DemoUsers;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The example's own settings, {@code example.*}.
 *
 * @param maximumSessions how many sessions one user may have at once ({@code 0}, the default, for
 *     no limit). Logging in once more logs out the user's least recently active session, on
 *     whichever node it is used: Spring Security's {@code maximumSessions(n)} over the store's
 *     reactive session registry.
 * @param password the password of the three demo users {@code alice}, {@code bob} and {@code
 *     carol}; {@code bodhi} unless set
 */
@ConfigurationProperties("example")
public record ExampleProperties(Integer maximumSessions, String password) {

  /** Fills in the defaults and refuses a negative limit. */
  public ExampleProperties {
    maximumSessions = DemoUsers.maximumSessions(maximumSessions);
    password = DemoUsers.password(password);
  }

  /** Names the limit, never the password. */
  @Override
  public String toString() {
    return "ExampleProperties[maximumSessions=" + maximumSessions + "]";
  }
}

package app.getbodhi.session.webflux.example;

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

  /** The demo users' password when {@code example.password} is unset. */
  public static final String DEFAULT_PASSWORD = "bodhi";

  /** Fills in the defaults and refuses a negative limit. */
  public ExampleProperties {
    if (maximumSessions == null) {
      maximumSessions = 0;
    }
    if (maximumSessions < 0) {
      throw new IllegalArgumentException(
          "example.maximum-sessions must be 0 (no limit) or more, not " + maximumSessions);
    }
    if (password == null || password.isEmpty()) {
      password = DEFAULT_PASSWORD;
    }
  }

  /** Names the limit, never the password. */
  @Override
  public String toString() {
    return "ExampleProperties[maximumSessions=" + maximumSessions + "]";
  }
}

package app.getbodhi.session.example;

import java.util.List;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The example applications' users and their own settings, {@code example.*}, which both
 * applications read the same way.
 */
public final class DemoUsers {

  /** The demo users, all with the password {@code example.password}. */
  public static final List<String> NAMES = List.of("alice", "bob", "carol");

  /** The demo users' password when {@code example.password} is unset. */
  public static final String DEFAULT_PASSWORD = "bodhi";

  /** {@code example.maximum-sessions} when unset: no limit. */
  public static final int NO_SESSION_LIMIT = 0;

  private DemoUsers() {}

  /**
   * The demo users for Spring Security. A real application keeps password hashes ({@code
   * {bcrypt}...}); {@code {noop}} keeps the example's logins instant.
   *
   * @param password their password, {@code example.password}
   * @return one user each, with the role {@code USER}
   */
  public static List<UserDetails> withPassword(String password) {
    return NAMES.stream()
        .map(name -> User.withUsername(name).password("{noop}" + password).roles("USER").build())
        .toList();
  }

  /**
   * {@code example.maximum-sessions}, checked.
   *
   * @param maximumSessions the setting, {@code null} when unset
   * @return the limit, {@link #NO_SESSION_LIMIT} when unset
   * @throws IllegalArgumentException when the setting is negative
   */
  public static int maximumSessions(Integer maximumSessions) {
    if (maximumSessions == null) {
      return NO_SESSION_LIMIT;
    }
    if (maximumSessions < 0) {
      throw new IllegalArgumentException(
          "example.maximum-sessions must be 0 (no limit) or more, not " + maximumSessions);
    }
    return maximumSessions;
  }

  /**
   * {@code example.password}, or the default.
   *
   * @param password the setting, {@code null} or empty when unset
   * @return the password the demo users log in with
   */
  public static String password(String password) {
    return password == null || password.isEmpty() ? DEFAULT_PASSWORD : password;
  }
}

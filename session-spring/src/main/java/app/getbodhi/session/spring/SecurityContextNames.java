package app.getbodhi.session.spring;

import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;

/**
 * Reads the principal name from a Spring Security context; loaded only when Security is present.
 */
final class SecurityContextNames {

  private SecurityContextNames() {}

  static Optional<String> of(Object value) {
    if (value instanceof SecurityContext context) {
      Authentication authentication = context.getAuthentication();
      if (authentication != null
          && authentication.isAuthenticated()
          && !(authentication instanceof AnonymousAuthenticationToken)) {
        return Optional.ofNullable(authentication.getName());
      }
    }
    return Optional.empty();
  }
}

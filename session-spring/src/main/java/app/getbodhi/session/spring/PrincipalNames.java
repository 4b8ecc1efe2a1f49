package app.getbodhi.session.spring;

import java.util.Optional;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.util.ClassUtils;

/**
 * Finds the principal name in a session attribute as it is set: the value of {@link
 * FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}, or the name of the authentication in
 * a Spring Security context (when Spring Security is on the classpath).
 */
final class PrincipalNames {

  private final boolean security;

  PrincipalNames(ClassLoader loader) {
    this.security =
        ClassUtils.isPresent("org.springframework.security.core.context.SecurityContext", loader);
  }

  /** Whether an attribute is one a principal name is read from. */
  boolean indexes(String attributeName) {
    return FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME.equals(attributeName)
        || BodhiSession.SECURITY_CONTEXT.equals(attributeName);
  }

  /**
   * The principal name an attribute names.
   *
   * @return the name, or empty when the attribute names none (an anonymous context, another key)
   */
  Optional<String> of(String attributeName, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    if (FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME.equals(attributeName)
        && value instanceof String name) {
      return Optional.of(name);
    }
    if (security && BodhiSession.SECURITY_CONTEXT.equals(attributeName)) {
      return SecurityContextNames.of(value);
    }
    return Optional.empty();
  }
}

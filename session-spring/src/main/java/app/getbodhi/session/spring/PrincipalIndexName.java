package app.getbodhi.session.spring;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.ReactiveFindByIndexNameSessionRepository;

/**
 * The name a session gives its application for the one indexed principal attribute: Spring
 * Session's servlet API calls it {@link
 * FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}, its reactive API {@link
 * ReactiveFindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}. Both name one stored
 * attribute, kept under the servlet name, so a session indexed on a servlet node is found by a
 * reactive one and the other way round.
 */
enum PrincipalIndexName {
  /** The servlet API's name; every other name is stored as it is. */
  SERVLET(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME),
  /** The reactive API's name, stored under the servlet one. */
  REACTIVE(ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME);

  private final String name;

  PrincipalIndexName(String name) {
    this.name = name;
  }

  /** The name an attribute the application names so is stored under. */
  String stored(String attributeName) {
    return name.equals(attributeName) ? SERVLET.name : attributeName;
  }

  /** The name the application sees for a stored attribute. */
  String shown(String storedName) {
    return SERVLET.name.equals(storedName) ? name : storedName;
  }
}

package app.getbodhi.session.spring;

import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two servlet repositories on one real database, for the servlet repository contracts: {@link
 * #repository} on the counted store, {@link #otherNode} on the other one (see {@link
 * SessionNodes}). A subclass names the backend.
 */
abstract class RepositoryNodes extends SessionNodes {

  BodhiSessionRepository repository;
  BodhiSessionRepository otherNode;
  BodhiSessionRegistry registry;

  @BeforeEach
  void openRepositories() {
    repository = repositoryOn(store);
    otherNode = repositoryOn(otherStore);
    registry = new BodhiSessionRegistry(repository);
  }

  /** The slack a session with this timeout is stored with: the layer's access granularity. */
  Duration slack(Duration timeout) {
    return SessionManagerLayer.builder(store).expiry(TIMEOUT).build().granularityFor(timeout);
  }

  @Override
  protected String saved(Map<String, Object> attributes) {
    BodhiSession session = repository.createSession();
    attributes.forEach(session::setAttribute);
    repository.save(session);
    return session.getId();
  }

  /** A value of a type neither JSON nor allowed by Spring Security's Jackson modules. */
  record Basket(String item, int count) {}
}

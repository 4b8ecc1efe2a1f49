package app.getbodhi.session.spring;

import app.getbodhi.session.ManagedSessionStore;

/**
 * Wraps the auto-configured store before the repository uses it, as {@code
 * DefaultSessionService.connect}'s decorator does: to meter it, for example. Declare beans of this
 * type; they are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface SessionStoreCustomizer {

  /**
   * Wraps a store.
   *
   * @param store the store, migrated
   * @return the store to use; a decorator must delegate every call, and closing it must close
   *     {@code store}
   */
  ManagedSessionStore customize(ManagedSessionStore store);
}

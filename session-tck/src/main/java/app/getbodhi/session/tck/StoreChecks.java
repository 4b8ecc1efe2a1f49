package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionRecord;

/** Checks of a store however it was opened, shared by the backends' own tests. */
public final class StoreChecks {

  private StoreChecks() {}

  /**
   * Checks that a store works end to end: it migrates, saves a session and loads it back unchanged.
   *
   * @param store the store, freshly opened on an empty database; left open
   * @param session a session to save, not yet stored
   */
  public static void assertMigratesAndKeepsWhatItSaves(
      ManagedSessionStore store, SessionRecord session) {
    store.migrate();
    store.save(session);

    assertThat(store.load(session.id())).contains(session);
  }
}

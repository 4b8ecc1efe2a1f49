package app.getbodhi.session.tests;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSummary;
import java.time.Instant;
import java.util.Map;

/**
 * The check that a store a URL or a setting led to really works, shared by the suites that open
 * stores in many ways: one session of a user of its own, saved, loaded back, counted and listed.
 */
final class Usable {

  private Usable() {}

  /**
   * Saves a session and reads it back through the store's API.
   *
   * @param store the store, migrated
   */
  static void assertUsable(ManagedSessionStore store) {
    String user = "user-" + SessionId.generate().value();
    SessionRecord saved =
        new SessionRecord(
            SessionId.generate(),
            Map.of(SessionRecord.USER_ID_KEY, user, "n", 1L),
            Instant.now().plusSeconds(3600));
    store.save(saved);
    assertThat(content(store.load(saved.id()))).contains(content(saved));
    assertThat(store.countSessionsForUser(user)).isEqualTo(1);
    assertThat(store.getSessionsForUser(user).stream().map(SessionSummary::ref).toList())
        .containsExactly(store.refOf(saved.id()));
  }
}

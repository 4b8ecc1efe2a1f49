package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The "loading" group of {@link SessionStoreContract}, run per backend as its {@code Loading}
 * class: {@code load} returns what was saved, nothing for an unknown id, and the same through a
 * second store on the database.
 */
abstract class LoadingGroup extends ContractGroup {

  @Test
  void load_returns_a_record_equal_to_the_saved_one() {
    SessionRecord saved =
        kit().session(mapOf("user_id", "alice", "csrf", "t0k3n", "count", 7L, "admin", false));
    kit().store().save(saved);

    Optional<SessionRecord> loaded = kit().store().load(saved.id());

    assertThat(content(loaded)).contains(content(saved));
    assertThat(loaded.orElseThrow().expiryDate()).isEqualTo(saved.expiryDate());
    assertThat(loaded.orElseThrow().userId()).contains("alice");
  }

  @Test
  void load_of_an_unknown_id_is_empty() {
    kit().saveUserSession("alice");

    assertThat(kit().store().load(SessionId.generate())).isEmpty();
  }

  @Test
  void a_second_store_on_the_same_database_loads_what_the_first_saved() {
    SessionRecord saved = kit().saveUserSession("alice");

    ManagedSessionStore otherNode = kit().open(kit().config());

    assertThat(content(otherNode.load(saved.id()))).contains(content(saved));
    assertThat(otherNode.countSessionsForUser("alice")).isEqualTo(1);
  }
}

package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import org.junit.jupiter.api.Test;

/**
 * The "deleting" group of {@link SessionStoreContract}, run per backend as its {@code Deleting}
 * class: {@code delete} removes only its own session; a missing id or a second delete does nothing.
 */
abstract class DeletingGroup extends ContractGroup {

  @Test
  void delete_removes_the_session_and_leaves_the_others() {
    SessionRecord doomed = kit().saveUserSession("alice");
    SessionRecord kept = kit().saveUserSession("alice");

    kit().store().delete(doomed.id());

    assertThat(kit().store().load(doomed.id())).isEmpty();
    assertThat(content(kit().store().load(kept.id()))).contains(content(kept));
    assertThat(kit().database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void delete_of_a_missing_id_does_nothing() {
    SessionRecord kept = kit().saveUserSession("alice");

    assertThatCode(() -> kit().store().delete(SessionId.generate())).doesNotThrowAnyException();

    assertThat(content(kit().store().load(kept.id()))).contains(content(kept));
    assertThat(kit().database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void deleting_the_same_session_twice_is_harmless() {
    SessionRecord doomed = kit().saveUserSession("alice");

    kit().store().delete(doomed.id());
    assertThatCode(() -> kit().store().delete(doomed.id())).doesNotThrowAnyException();

    assertThat(kit().database.sessionRowCount()).isZero();
  }
}

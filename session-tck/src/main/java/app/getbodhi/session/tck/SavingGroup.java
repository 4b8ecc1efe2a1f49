package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionSummary;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "saving" group of {@link SessionStoreContract}, run per backend as its {@code Saving} class:
 * {@code save} writes the data, the expiry and the {@code user_id} column in one row, and a user id
 * with a NUL is refused.
 */
abstract class SavingGroup extends ContractGroup {

  @Test
  void save_with_a_user_id_writes_it_to_the_user_id_column() {
    SessionRecord saved = kit().saveUserSession("alice");

    assertThat(kit().database.userIdColumn(kit().ref(saved))).isEqualTo("alice");
  }

  @Test
  void save_without_a_user_id_leaves_the_user_id_column_null() {
    SessionRecord saved = kit().session(Map.of("cart", List.of("apple")));
    kit().store().save(saved);

    assertThat(kit().database.sessionRowCount()).isEqualTo(1);
    assertThat(kit().database.userIdColumn(kit().ref(saved))).isNull();
    assertThat(content(kit().store().load(saved.id()))).contains(content(saved));
  }

  @Test
  void removing_the_user_id_key_and_saving_again_sets_the_column_back_to_null() {
    SessionRecord loggedIn = kit().saveUserSession("alice");
    assertThat(kit().database.userIdColumn(kit().ref(loggedIn))).isEqualTo("alice");

    Map<String, Object> loggedOutData = new HashMap<>(loggedIn.data());
    loggedOutData.remove(SessionRecord.USER_ID_KEY);
    SessionRecord loggedOut =
        new SessionRecord(loggedIn.id(), loggedOutData, loggedIn.expiryDate());
    kit().store().save(loggedOut);

    assertStoredWithoutAUser(loggedOut, "alice");
  }

  @Test
  void a_user_id_that_is_not_a_string_is_not_indexed_as_a_user() {
    SessionRecord saved = kit().session(Map.of(SessionRecord.USER_ID_KEY, 42L));
    kit().store().save(saved);

    assertStoredWithoutAUser(saved, "42");
  }

  /** The saved session is stored whole, with a null user id column, and counts for no user. */
  private void assertStoredWithoutAUser(SessionRecord saved, String notAUser) {
    assertThat(kit().database.userIdColumn(kit().ref(saved))).isNull();
    assertThat(kit().store().countSessionsForUser(notAUser)).isZero();
    assertThat(content(kit().store().load(saved.id()))).contains(content(saved));
  }

  @Test
  void saving_again_replaces_data_expiry_and_user_in_the_one_row() {
    SessionRecord first = kit().saveUserSession("alice");
    SessionRecord second =
        new SessionRecord(
            first.id(),
            Map.of(SessionRecord.USER_ID_KEY, "bob", "step", 2L),
            first.expiryDate().plus(Duration.ofMinutes(30)));

    kit().store().save(second);

    assertThat(kit().database.sessionRowCount()).isEqualTo(1);
    assertThat(content(kit().store().load(first.id()))).contains(content(second));
    assertThat(kit().database.userIdColumn(kit().ref(first))).isEqualTo("bob");
    assertThat(kit().store().countSessionsForUser("alice")).isZero();
    assertThat(kit().store().getSessionsForUser("bob").stream().map(SessionSummary::ref).toList())
        .containsExactly(kit().ref(first));
  }

  @Test
  void a_user_id_with_a_nul_character_is_refused_and_queries_for_it_find_nothing() {
    kit().saveUserSession("alice");

    assertThatThrownBy(() -> kit().userSession("al\0ice"))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));
    assertThat(kit().store().countSessionsForUser("al\0ice")).isZero();
    assertThat(
            kit().store().getSessionsForUser("al\0ice").stream().map(SessionSummary::ref).toList())
        .isEmpty();
    assertThat(kit().store().clearSessionsForUser("al\0ice")).isZero();
    assertThat(kit().store().countSessionsForUser("alice")).isEqualTo(1);
  }
}

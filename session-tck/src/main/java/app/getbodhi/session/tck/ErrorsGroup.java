package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The "errors" group of {@link SessionStoreContract}, run per backend as its {@code Errors} class:
 * a closed store fails with database errors that never show a session id.
 */
abstract class ErrorsGroup extends ContractGroup {

  @Test
  void a_closed_store_fails_with_database_errors_that_never_show_a_session_id() {
    ManagedSessionStore closing = kit().openMigrated(kit().config());
    SessionRecord record = kit().userSession("alice");
    closing.save(record);
    SessionId id = record.id();
    closing.close();

    List<ThrowingCallable> calls =
        List.of(
            () -> closing.load(id),
            () -> closing.save(record),
            () -> closing.create(record),
            () -> closing.delete(id),
            () -> closing.clearSessionsForUser("alice"),
            () -> closing.clearAllSessions(),
            () -> closing.countSessionsForUser("alice"),
            () -> closing.getSessionsForUser("alice"),
            () -> closing.dumpPage(Optional.empty(), 10),
            () -> closing.deleteExpired());
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE);
                assertThat(e.getMessage()).isNotBlank().doesNotContain(id.value());
                assertThat(e.toString()).doesNotContain(id.value());
              });
    }
  }
}

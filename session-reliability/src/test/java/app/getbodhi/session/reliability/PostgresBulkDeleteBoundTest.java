package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.SqlBackendProfile;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.tck.TestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How often PostgreSQL's bulk deletes (logging a user, or everyone, out) are tried when every try
 * fails with a serialization failure: exactly {@link
 * SqlBackendProfile.BulkDelete#DEFAULT_MAX_ATTEMPTS} times, then a DATABASE error, so that a
 * request thread and a pooled connection are never held indefinitely.
 *
 * <p>The failures are PostgreSQL's own: a statement trigger on the session table raises SQLState
 * {@code 40001} in the delete's transaction, as a concurrent rotation does, for as many tries as
 * the test says. It counts the tries with a sequence, which a rollback does not undo. (A real
 * write-write conflict on every try would need another transaction to change the rows between each
 * try's snapshot and its delete, which no test can time reliably.)
 */
class PostgresBulkDeleteBoundTest {

  private static final Instant EXPIRY = Instant.now().plus(1, ChronoUnit.DAYS);
  private static final int BOUND = SqlBackendProfile.BulkDelete.DEFAULT_MAX_ATTEMPTS;

  private TestDatabase db;
  private PgSessionStore store;

  @BeforeEach
  void open() {
    db = Backend.POSTGRES.freshDatabase();
    store = PgSessionStore.connect(db.url());
    store.migrate();
    for (String user : new String[] {"alice", "alice", "bob"}) {
      store.save(new SessionRecord(SessionId.generate(), Map.of("user_id", user), EXPIRY));
    }
  }

  @AfterEach
  void close() {
    store.close();
    db.close();
  }

  /** Makes the first {@code failures} deletes on the session table fail with 40001. */
  private void conflictOnTheFirst(long failures) {
    db.execute("CREATE SEQUENCE bodhi_test_delete_tries");
    db.execute(
        "CREATE FUNCTION bodhi_test_conflict() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF nextval('bodhi_test_delete_tries') <= "
            + failures
            + " THEN RAISE EXCEPTION 'serialization failure planted by the test'"
            + " USING ERRCODE = 'serialization_failure'; END IF; RETURN NULL; END $$");
    db.execute(
        "CREATE TRIGGER bodhi_test_conflict BEFORE DELETE ON bodhi_sessions"
            + " FOR EACH STATEMENT EXECUTE FUNCTION bodhi_test_conflict()");
  }

  private long tries() {
    return db.queryLong("SELECT last_value FROM bodhi_test_delete_tries");
  }

  @Test
  void the_bound_is_five_tries_as_documented() {
    assertThat(PgSessionStore.PROFILE.bulkDelete().maxAttempts()).isEqualTo(BOUND).isEqualTo(5);
  }

  @Test
  void logging_a_user_out_under_persistent_conflict_gives_up_after_exactly_the_bound() {
    assertGivesUp(s -> s.clearSessionsForUser("alice"));
  }

  @Test
  void clearing_all_sessions_under_persistent_conflict_gives_up_after_exactly_the_bound() {
    assertGivesUp(PgSessionStore::clearAllSessions);
  }

  private void assertGivesUp(ToIntFunction<PgSessionStore> bulkDelete) {
    conflictOnTheFirst(Long.MAX_VALUE);

    assertThatThrownBy(() -> bulkDelete.applyAsInt(store))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE))
        .hasMessageContaining("(SQLState 40001)");
    assertThat(tries()).isEqualTo(BOUND);
    assertThat(db.sessionRowCount()).as("every failed try was rolled back").isEqualTo(3);
  }

  @Test
  void a_conflict_on_every_try_but_the_last_still_deletes() {
    conflictOnTheFirst(BOUND - 1);

    assertThat(store.clearSessionsForUser("alice")).isEqualTo(2);

    assertThat(tries()).isEqualTo(BOUND);
    assertThat(store.countSessionsForUser("bob")).isEqualTo(1);
  }
}

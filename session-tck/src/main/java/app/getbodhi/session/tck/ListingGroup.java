package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static app.getbodhi.session.tck.StoreContractKit.START;
import static app.getbodhi.session.tck.StoreContractKit.TTL;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The "listing all sessions" group of {@link SessionStoreContract}, run per backend as its {@code
 * Listing} class: the paged listings of every session, a user's live sessions with their times,
 * revoking by ref, finding refs by prefix, and sealed sessions copied to another database.
 */
abstract class ListingGroup extends ContractGroup {

  @Test
  void dump_all_sessions_lists_refs_user_ids_and_expiry_of_every_session_expired_ones_too() {
    SessionRecord alice = kit().saveUserSession("alice");
    SessionRecord anonymous = kit().session(Map.of("anonymous", true));
    kit().store().save(anonymous);
    SessionRecord expiring = kit().saveExpiring("bob", Duration.ofMinutes(1));
    kit().clock.advance(Duration.ofMinutes(5));

    List<SessionSummary> dump = kit().store().streamAllSessions(1000).toList();

    assertThat(dump)
        .containsExactlyInAnyOrder(
            new SessionSummary(
                kit().ref(alice),
                Optional.of("alice"),
                alice.expiryDate(),
                Optional.of(START),
                Optional.of(START)),
            new SessionSummary(
                kit().ref(anonymous),
                Optional.empty(),
                anonymous.expiryDate(),
                Optional.of(START),
                Optional.of(START)),
            new SessionSummary(
                kit().ref(expiring),
                Optional.of("bob"),
                expiring.expiryDate(),
                Optional.of(START),
                Optional.of(START)));
  }

  @Test
  void a_users_live_sessions_are_listed_with_their_refs_and_times() {
    SessionRecord laptop = kit().store().create(kit().userSession("alice"));
    kit().clock.advance(Duration.ofMinutes(1));
    SessionRecord phone = kit().store().create(kit().userSession("alice"));
    SessionRecord loaded = kit().store().load(phone.id()).orElseThrow();
    kit().clock.advance(Duration.ofMinutes(1));
    SessionRecord touched =
        new SessionRecord(
            loaded.id(),
            loaded.data(),
            loaded.expiryDate(),
            loaded.createdAt(),
            Optional.of(kit().clock.instant()),
            loaded.maxInactiveInterval(),
            loaded.revision());
    assertThat(kit().store().updateIfUnchanged(touched)).isTrue();
    kit().saveExpiring("alice", Duration.ofSeconds(30));
    kit().store().create(kit().userSession("bob"));
    kit().clock.advance(Duration.ofSeconds(30));

    List<SessionSummary> sessions = kit().store().getSessionsForUser("alice");

    assertThat(sessions)
        .extracting(SessionSummary::ref)
        .containsExactlyInAnyOrder(kit().ref(laptop), kit().ref(phone));
    SessionSummary phoneSummary =
        sessions.stream().filter(s -> s.ref().equals(kit().ref(phone))).findFirst().orElseThrow();
    assertThat(phoneSummary.createdAt()).contains(START.plus(Duration.ofMinutes(1)));
    assertThat(phoneSummary.lastAccessedAt()).contains(START.plus(Duration.ofMinutes(2)));
    assertThat(phoneSummary.userId()).contains("alice");
    assertThat(kit().store().getSessionsForUser("carol")).isEmpty();
  }

  @Test
  void dump_all_sessions_of_an_empty_store_is_empty() {
    assertThat(kit().store().streamAllSessions(1000).toList()).isEmpty();
  }

  @Test
  void paged_streams_visit_every_session_once_in_ref_order() {
    List<SessionRef> live = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      live.add(kit().ref(kit().saveUserSession("user" + (i % 4))));
    }
    SessionRecord expired = kit().saveExpiring("late", Duration.ofMinutes(1));
    kit().clock.advance(Duration.ofMinutes(5));
    live.sort(null);
    List<SessionRef> all = new ArrayList<>(live);
    all.add(kit().ref(expired));
    all.sort(null);

    assertThat(kit().store().streamSealedSessions(5).map(SealedSession::ref))
        .containsExactlyElementsOf(live);
    assertThat(kit().store().streamAllSessions(4).map(SessionSummary::ref))
        .containsExactlyElementsOf(all);
    assertThat(kit().store().streamAllSessions(24)).hasSize(24);
  }

  @Test
  void a_page_starts_after_the_given_ref() {
    List<SessionRef> refs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      refs.add(kit().ref(kit().saveUserSession("u")));
    }
    refs.sort(null);

    assertThat(kit().store().dumpPage(Optional.of(refs.get(2)), 2))
        .extracting(SessionSummary::ref)
        .containsExactly(refs.get(3), refs.get(4));
    assertThat(kit().store().loadSealedPage(Optional.of(refs.get(5)), 10)).isEmpty();
  }

  @Test
  void sealed_sessions_copied_verbatim_to_another_database_open_there_with_their_ids() {
    SessionRecord alice = kit().store().create(kit().userSession("alice"));
    SessionRecord timed =
        kit()
            .store()
            .create(
                new SessionRecord(
                    SessionId.generate(),
                    Map.of("k", "v"),
                    kit().clock.instant().plus(TTL),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(Duration.ofMinutes(7)),
                    0));
    List<SealedSession> page = kit().store().loadSealedPage(Optional.empty(), 10);
    TestDatabase other = kit().newDatabase();
    ManagedSessionStore target = kit().newStore(other.url(), kit().config());
    try {
      target.migrate();

      target.saveAllSealed(page);

      assertThat(target.load(alice.id())).isEqualTo(kit().store().load(alice.id()));
      assertThat(target.load(timed.id())).isEqualTo(kit().store().load(timed.id()));
      assertThat(target.countSessionsForUser("alice")).isEqualTo(1);
      assertThat(target.loadSealedPage(Optional.empty(), 10)).isEqualTo(page);

      // a copy run again overwrites (as save does, the revision grows) and loses nothing
      target.saveAllSealed(page);
      assertThat(content(target.load(alice.id())))
          .isEqualTo(content(kit().store().load(alice.id())));
      assertThat(target.streamAllSessions(1000).toList()).hasSize(2);
    } finally {
      target.close();
      other.close();
    }
  }

  @Test
  void a_session_is_revoked_by_its_ref_and_revoking_a_missing_ref_does_nothing() {
    SessionRecord laptop = kit().store().create(kit().userSession("alice"));
    SessionRecord phone = kit().store().create(kit().userSession("alice"));

    assertThat(kit().store().delete(kit().ref(laptop))).isTrue();
    assertThat(kit().store().delete(kit().ref(laptop))).isFalse();

    assertThat(kit().store().load(laptop.id())).isEmpty();
    assertThat(kit().store().load(phone.id())).isPresent();
    assertThat(kit().store().getSessionsForUser("alice").stream().map(SessionSummary::ref).toList())
        .containsExactly(kit().ref(phone));
  }

  @Test
  void refs_are_found_by_a_prefix_of_their_text_matched_exactly() {
    SessionRecord one = kit().store().create(kit().userSession("alice"));
    kit().store().create(kit().userSession("bob"));
    String text = kit().ref(one).value();

    assertThat(kit().store().findRefsByPrefix(text.substring(0, 12), 5))
        .containsExactly(kit().ref(one));
    assertThat(kit().store().findRefsByPrefix(text, 5)).containsExactly(kit().ref(one));
    assertThat(kit().store().findRefsByPrefix(swapCase(text.substring(0, 12)), 5))
        .doesNotContain(kit().ref(one));
    assertThat(kit().store().findRefsByPrefix("", 5)).isEmpty();
    assertThat(kit().store().findRefsByPrefix("%", 5)).isEmpty();
    assertThat(kit().store().findRefsByPrefix(text + "A", 5)).isEmpty();
    assertThat(kit().store().findRefsByPrefix(text.substring(0, 1), 5)).contains(kit().ref(one));
  }

  private static String swapCase(String text) {
    StringBuilder swapped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      swapped.append(
          Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return swapped.toString();
  }
}

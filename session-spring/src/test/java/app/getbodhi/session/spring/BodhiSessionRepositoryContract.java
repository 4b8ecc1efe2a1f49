package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionServiceException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.userdetails.User;
import org.springframework.session.Session;

/**
 * {@link BodhiSessionRepository} against what Spring Session expects of a {@code
 * FindByIndexNameSessionRepository}, and {@link BodhiSessionRegistry} against what Spring Security
 * expects of a {@code SessionRegistry}, on a real database. A subclass names the backend.
 */
abstract class BodhiSessionRepositoryContract extends RepositoryNodes {

  // ---- creation ----

  @Test
  void createSession_gives_a_fresh_well_formed_id_and_stores_nothing_until_save() {
    counted.reset();
    BodhiSession first = repository.createSession();
    BodhiSession second = repository.createSession();
    first.setAttribute("cart", "apples");

    assertThat(SessionId.parse(first.getId())).isPresent();
    assertThat(first.getId()).isNotEqualTo(second.getId());
    assertThat(counted.verbs()).isEmpty();
    assertThat(database.sessionRowCount()).isZero();
    assertThat(repository.findById(first.getId())).isNull();
  }

  @Test
  void save_of_a_new_session_inserts_it_once_under_its_id() {
    BodhiSession session = repository.createSession();
    session.setAttribute("cart", "apples");
    String id = session.getId();
    counted.reset();

    repository.save(session);

    assertThat(counted.verbs()).containsExactly("INSERT");
    assertThat(session.getId()).isEqualTo(id);
    assertThat(database.sessionRowCount()).isEqualTo(1);
    assertThat(otherNode.findById(id).<String>getAttribute("cart")).isEqualTo("apples");
  }

  @Test
  void a_second_save_of_an_unchanged_new_session_writes_nothing() {
    BodhiSession session = repository.createSession();
    session.setAttribute("cart", "apples");
    repository.save(session);
    counted.reset();

    repository.save(session);

    assertThat(counted.verbs()).isEmpty();
  }

  // ---- findById ----

  @Test
  void findById_of_an_unknown_a_malformed_or_a_missing_id_is_null() {
    saved(Map.of("cart", "apples"));

    assertThat(repository.findById(SessionId.generate().value())).isNull();
    assertThat(repository.findById("not-a-session-id")).isNull();
    assertThat(repository.findById("")).isNull();
    assertThat(repository.findById(null)).isNull();
  }

  @Test
  void findById_returns_the_attributes_and_times_as_stored() {
    BodhiSession session = repository.createSession();
    session.setAttribute("cart", List.of("apples", "pears"));
    session.setAttribute("visits", 3);
    session.setMaxInactiveInterval(Duration.ofMinutes(45));
    clock.advance(Duration.ofSeconds(5));
    repository.save(session);
    clock.advance(Duration.ofMinutes(1));

    Session found = otherNode.findById(session.getId());

    assertThat(found.getId()).isEqualTo(session.getId());
    assertThat(found.getAttributeNames()).containsExactlyInAnyOrder("cart", "visits");
    assertThat(found.<List<String>>getAttribute("cart")).containsExactly("apples", "pears");
    assertThat(found.<Number>getAttribute("visits").intValue()).isEqualTo(3);
    assertThat(found.getCreationTime()).isEqualTo(T0);
    assertThat(found.getLastAccessedTime()).isEqualTo(T0.plusSeconds(5));
    assertThat(found.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(45));
    assertThat(found.isExpired()).isFalse();
  }

  @Test
  void a_session_without_its_own_timeout_has_the_layers() {
    String id = saved(Map.of("cart", "apples"));

    assertThat(repository.findById(id).getMaxInactiveInterval()).isEqualTo(TIMEOUT);
  }

  @Test
  void findById_costs_one_select() {
    String id = saved(Map.of("cart", "apples"));
    counted.reset();

    Session found = repository.findById(id);
    found.getAttribute("cart");
    found.getAttributeNames();
    found.getCreationTime();

    assertThat(counted.verbs()).containsExactly("SELECT");
  }

  // ---- save ----

  @Test
  void save_persists_changed_and_removed_attributes_with_one_update() {
    String id = saved(Map.of("cart", "apples", "coupon", "SPRING"));
    Session session = repository.findById(id);
    session.setAttribute("cart", "pears");
    session.removeAttribute("coupon");
    session.setAttribute("visits", 2);
    counted.reset();

    repository.save(session);

    assertThat(counted.verbs()).containsExactly("UPDATE");
    Session reloaded = otherNode.findById(id);
    assertThat(reloaded.<String>getAttribute("cart")).isEqualTo("pears");
    assertThat(reloaded.<Object>getAttribute("coupon")).isNull();
    assertThat(reloaded.getAttributeNames()).containsExactlyInAnyOrder("cart", "visits");
  }

  @Test
  void a_read_only_request_is_one_select_and_its_save_writes_nothing() {
    String id = saved(Map.of("cart", "apples"));
    clock.advance(slack(TIMEOUT).minusSeconds(1));
    counted.reset();

    // what Spring's SessionRepositoryFilter does on a request that only reads
    Session session = repository.findById(id);
    session.setLastAccessedTime(clock.instant());
    assertThat(session.<String>getAttribute("cart")).isEqualTo("apples");
    repository.save(session);

    assertThat(counted.verbs()).containsExactly("SELECT");
    assertThat(otherNode.findById(id).getLastAccessedTime()).isEqualTo(T0);
  }

  @Test
  void setting_an_attribute_to_the_value_it_has_writes_nothing() {
    String id = saved(Map.of("cart", "apples"));
    Session session = repository.findById(id);
    counted.reset();

    session.setAttribute("cart", "apples");
    repository.save(session);

    assertThat(counted.verbs()).isEmpty();
  }

  @Test
  void a_session_read_after_its_access_granularity_is_refreshed_by_one_update() {
    String id = saved(Map.of("cart", "apples"));
    clock.advance(slack(TIMEOUT).plusSeconds(1));
    Session session = repository.findById(id);
    session.setLastAccessedTime(clock.instant());
    counted.reset();

    repository.save(session);

    assertThat(counted.verbs()).containsExactly("UPDATE");
    // refreshed: alive a full timeout after the refresh, not after its creation
    clock.advance(TIMEOUT.minusSeconds(1));
    assertThat(repository.findById(id)).isNotNull();
  }

  @Test
  void saving_a_session_of_another_repository_is_refused() {
    Session foreign = new org.springframework.session.MapSession();

    assertThatThrownBy(() -> repository.save(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MapSession");
  }

  // ---- one lookup per request ----

  @Test
  void outside_a_request_scope_every_lookup_reads_the_store() {
    String id = saved(Map.of("cart", "apples"));
    counted.reset();

    repository.findById(id);
    repository.findById(id);

    assertThat(counted.verbs()).containsExactly("SELECT", "SELECT");
  }

  @Test
  void inside_a_request_scope_a_second_lookup_of_the_same_id_costs_nothing() {
    String id = saved(Map.of("cart", "apples"));
    String unknown = SessionId.generate().value();
    counted.reset();

    repository.inRequest(
        () -> {
          Session first = repository.findById(id);
          first.setAttribute("cart", "pears");
          assertThat(repository.findById(id)).isSameAs(first);
          assertThat(repository.findById(unknown)).isNull();
          assertThat(repository.findById(unknown)).isNull();
          // the other node has its own lookups
          assertThat(otherNode.findById(id).<String>getAttribute("cart")).isEqualTo("apples");
        });

    assertThat(counted.verbs()).containsExactly("SELECT", "SELECT");
    // the scope ended with the request: the next one reads the store again
    repository.findById(id);
    assertThat(counted.verbs()).hasSize(3);
  }

  @Test
  void inside_a_request_scope_a_session_deleted_or_moved_is_not_found_again() {
    String deleted = saved(Map.of("cart", "apples"));
    String rotated = saved(Map.of("cart", "pears"));
    String revoked = saved(Map.of("cart", "plums"));
    String lostToOtherNode = saved(Map.of("cart", "figs"));

    repository.inRequest(
        () -> {
          repository.findById(deleted);
          repository.deleteById(deleted);

          Session moving = repository.findById(rotated);
          String newId = moving.changeSessionId();
          repository.save(moving);

          repository.findById(revoked);
          repository.deleteByRef(refOf(revoked));

          Session lost = repository.findById(lostToOtherNode);
          otherNode.deleteById(lostToOtherNode);
          lost.setAttribute("cart", "dates");
          repository.save(lost);
          counted.reset();

          assertThat(repository.findById(deleted)).isNull();
          assertThat(repository.findById(rotated)).isNull();
          assertThat(repository.findById(revoked)).isNull();
          assertThat(repository.findById(lostToOtherNode)).isNull();
          assertThat(counted.verbs()).isEmpty();
          assertThat(repository.findById(newId)).isNotNull();
        });
  }

  // ---- deleteById ----

  @Test
  void deleteById_removes_the_session() {
    String id = saved(Map.of("cart", "apples"));
    String kept = saved(Map.of("cart", "pears"));

    repository.deleteById(id);

    assertThat(repository.findById(id)).isNull();
    assertThat(otherNode.findById(id)).isNull();
    assertThat(repository.findById(kept)).isNotNull();
    assertThat(database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void deleteById_of_a_missing_or_malformed_id_does_nothing() {
    String kept = saved(Map.of("cart", "apples"));

    repository.deleteById(SessionId.generate().value());
    repository.deleteById("not-a-session-id");
    repository.deleteById(null);

    assertThat(repository.findById(kept)).isNotNull();
    assertThat(database.sessionRowCount()).isEqualTo(1);
  }

  // ---- changeSessionId ----

  @Test
  void changeSessionId_moves_the_session_to_the_new_id_and_leaves_one_row() {
    String oldId = saved(Map.of("cart", "apples"));
    Session session = repository.findById(oldId);

    String newId = session.changeSessionId();
    repository.save(session);

    assertThat(newId).isNotEqualTo(oldId);
    assertThat(SessionId.parse(newId)).isPresent();
    assertThat(session.getId()).isEqualTo(newId);
    assertThat(otherNode.findById(newId).<String>getAttribute("cart")).isEqualTo("apples");
    assertThat(otherNode.findById(oldId)).isNull();
    assertThat(database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void changeSessionId_keeps_the_creation_time_and_the_changes_made_with_it() {
    String oldId = saved(Map.of("cart", "apples"));
    clock.advance(Duration.ofMinutes(2));
    Session session = repository.findById(oldId);

    String newId = session.changeSessionId();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "alice");
    repository.save(session);

    Session moved = otherNode.findById(newId);
    assertThat(moved.getCreationTime()).isEqualTo(T0);
    assertThat(moved.<String>getAttribute(PRINCIPAL_NAME_INDEX_NAME)).isEqualTo("alice");
    assertThat(repository.findByPrincipalName("alice")).hasSize(1);
  }

  @Test
  void changeSessionId_of_a_session_not_yet_saved_inserts_it_under_the_new_id() {
    BodhiSession session = repository.createSession();
    session.setAttribute("cart", "apples");
    String firstId = session.getId();
    String newId = session.changeSessionId();
    counted.reset();

    repository.save(session);

    assertThat(counted.verbs()).containsExactly("INSERT");
    assertThat(repository.findById(newId)).isNotNull();
    assertThat(repository.findById(firstId)).isNull();
  }

  // ---- concurrency across nodes ----

  @Test
  void a_session_deleted_by_another_node_between_find_and_save_is_not_written_back() {
    String id = saved(Map.of("cart", "apples"));
    Session session = repository.findById(id);
    session.setAttribute("cart", "pears");

    otherNode.deleteById(id);
    repository.save(session);

    assertThat(repository.findById(id)).isNull();
    assertThat(otherNode.findById(id)).isNull();
    assertThat(database.sessionRowCount()).isZero();
  }

  @Test
  void a_login_rotation_after_another_node_deleted_the_session_carries_none_of_its_data() {
    String oldId = saved(Map.of("cart", "apples"));
    Session session = repository.findById(oldId);
    String rotated = session.changeSessionId();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "alice");

    otherNode.deleteById(oldId);
    repository.save(session);

    assertThat(repository.findById(oldId)).isNull();
    assertThat(repository.findById(rotated)).isNull();
    // the login's own change starts a fresh session: nothing of the deleted one survives
    Session fresh = repository.findById(session.getId());
    assertThat(fresh.getAttributeNames()).containsExactly(PRINCIPAL_NAME_INDEX_NAME);
    assertThat(database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void parallel_changes_to_different_attributes_on_two_nodes_both_survive() {
    String id = saved(Map.of("cart", "apples"));
    Session here = repository.findById(id);
    Session there = otherNode.findById(id);
    here.setAttribute("theme", "dark");
    there.setAttribute("cart", "pears");

    repository.save(here);
    otherNode.save(there);

    Session merged = repository.findById(id);
    assertThat(merged.<String>getAttribute("theme")).isEqualTo("dark");
    assertThat(merged.<String>getAttribute("cart")).isEqualTo("pears");
    assertThat(database.sessionRowCount()).isEqualTo(1);
  }

  // ---- timeouts ----

  @Test
  void a_session_expires_after_its_own_max_inactive_interval() {
    BodhiSession session = repository.createSession();
    session.setAttribute("cart", "apples");
    session.setMaxInactiveInterval(Duration.ofSeconds(60));
    repository.save(session);
    String defaultTimeout = saved(Map.of("cart", "pears"));

    clock.advance(Duration.ofSeconds(59));
    assertThat(otherNode.findById(session.getId()).getMaxInactiveInterval())
        .isEqualTo(Duration.ofSeconds(60));

    // gone once its timeout and its slack have passed
    clock.advance(slack(Duration.ofSeconds(60)).plusSeconds(2));
    assertThat(repository.findById(session.getId())).isNull();
    assertThat(otherNode.findById(session.getId())).isNull();
    assertThat(repository.findById(defaultTimeout)).isNotNull();
  }

  @Test
  void changing_the_max_inactive_interval_of_a_stored_session_is_saved_and_applies() {
    String id = saved(Map.of("cart", "apples"));
    Session session = repository.findById(id);
    session.setMaxInactiveInterval(Duration.ofMinutes(2));
    counted.reset();
    repository.save(session);
    assertThat(counted.verbs()).containsExactly("UPDATE");

    clock.advance(Duration.ofMinutes(2).plus(slack(Duration.ofMinutes(2))).plusSeconds(1));

    assertThat(repository.findById(id)).isNull();
  }

  @Test
  void after_the_timeout_findById_returns_null() {
    String id = saved(Map.of("cart", "apples"));

    clock.advance(TIMEOUT.minusSeconds(1));
    assertThat(repository.findById(id)).isNotNull();

    clock.advance(slack(TIMEOUT).plusSeconds(2));
    assertThat(repository.findById(id)).isNull();
    assertThat(otherNode.findById(id)).isNull();
  }

  // ---- principal index ----

  @Test
  void findByPrincipalName_lists_the_users_sessions_by_ref_from_either_attribute() {
    String byContext = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice")));
    String byIndex = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
    saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "bob"));
    saved(Map.of("cart", "apples"));

    Map<String, Session> alices = repository.findByPrincipalName("alice");

    assertThat(alices.keySet()).containsExactlyInAnyOrder(refOf(byContext), refOf(byIndex));
    // sealed storage: the listing names refs, never the ids that open the sessions
    assertThat(alices.keySet()).doesNotContain(byContext, byIndex);
    for (Map.Entry<String, Session> entry : alices.entrySet()) {
      Session listed = entry.getValue();
      assertThat(listed.getId()).isEqualTo(entry.getKey());
      assertThat(listed.<String>getAttribute(PRINCIPAL_NAME_INDEX_NAME)).isEqualTo("alice");
      assertThat(listed.getCreationTime()).isEqualTo(T0);
      assertThat(listed.isExpired()).isFalse();
    }
    assertThat(otherNode.findByPrincipalName("bob")).hasSize(1);
    assertThat(repository.findByPrincipalName("carol")).isEmpty();
  }

  @Test
  void the_principal_index_is_not_an_attribute_of_the_session() {
    String id = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice")));

    Session found = repository.findById(id);

    assertThat(found.getAttributeNames()).containsExactly("SPRING_SECURITY_CONTEXT");
    assertThat(found.<Object>getAttribute("user_id")).isNull();
  }

  @Test
  void an_application_attribute_named_user_id_is_kept_apart_from_the_principal_index() {
    BodhiSession session = repository.createSession();
    session.setAttribute("user_id", "bob");
    session.setAttribute("~note", "kept as named");
    session.setAttribute("SPRING_SECURITY_CONTEXT", loggedIn("alice"));
    repository.save(session);

    assertThat(repository.findByPrincipalName("alice")).hasSize(1);
    assertThat(repository.findByPrincipalName("bob")).isEmpty();
    Session found = otherNode.findById(session.getId());
    assertThat(found.<String>getAttribute("user_id")).isEqualTo("bob");
    assertThat(found.<String>getAttribute("~note")).isEqualTo("kept as named");
    assertThat(found.getAttributeNames())
        .containsExactlyInAnyOrder("user_id", "~note", "SPRING_SECURITY_CONTEXT");

    // logging out drops the index, not the application's attribute of the same name
    found.removeAttribute("SPRING_SECURITY_CONTEXT");
    otherNode.save(found);
    assertThat(repository.findByPrincipalName("alice")).isEmpty();
    assertThat(repository.findById(session.getId()).<String>getAttribute("user_id"))
        .isEqualTo("bob");
    found.removeAttribute("user_id");
    otherNode.save(found);
    assertThat(repository.findById(session.getId()).getAttributeNames()).containsExactly("~note");
  }

  @Test
  void an_index_other_than_the_principal_name_finds_nothing() {
    saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));

    assertThat(repository.findByIndexNameAndIndexValue("cart", "alice")).isEmpty();
    assertThat(repository.findByIndexNameAndIndexValue(PRINCIPAL_NAME_INDEX_NAME, null)).isEmpty();
  }

  @Test
  void a_listed_session_is_read_only() {
    saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
    Session listed = repository.findByPrincipalName("alice").values().iterator().next();

    assertThatThrownBy(() -> listed.setAttribute("cart", "apples"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("deleteById(ref)");
    assertThatThrownBy(listed::changeSessionId).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void logging_out_removes_the_session_from_the_users_index() {
    String id = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice"), "cart", "apples"));
    Session session = repository.findById(id);

    session.removeAttribute("SPRING_SECURITY_CONTEXT");
    repository.save(session);

    assertThat(repository.findByPrincipalName("alice")).isEmpty();
    assertThat(repository.findById(id).<String>getAttribute("cart")).isEqualTo("apples");
  }

  @Test
  void deleteByRef_revokes_that_one_session() {
    String revoked = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
    String kept = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
    String ref = refOf(revoked);

    assertThat(otherNode.deleteByRef(ref)).isTrue();

    assertThat(repository.findById(revoked)).isNull();
    assertThat(repository.findById(kept)).isNotNull();
    assertThat(repository.findByPrincipalName("alice")).hasSize(1).doesNotContainKey(ref);
    assertThat(otherNode.deleteByRef(ref)).isFalse();
    assertThat(otherNode.deleteByRef("not-a-ref")).isFalse();
  }

  // ---- values ----

  @Test
  void a_security_context_round_trips_through_the_codec() {
    SecurityContext context = loggedIn("alice");
    String id = saved(Map.of("SPRING_SECURITY_CONTEXT", context));

    Session found = otherNode.findById(id);
    SecurityContext read = found.getAttribute("SPRING_SECURITY_CONTEXT");

    assertThat(read).isEqualTo(context);
    assertThat(read.getAuthentication())
        .isInstanceOf(UsernamePasswordAuthenticationToken.class)
        .satisfies(a -> assertThat(a.isAuthenticated()).isTrue());
    assertThat(read.getAuthentication().getName()).isEqualTo("alice");
    assertThat(read.getAuthentication().getAuthorities())
        .extracting(Object::toString)
        .containsExactly("ROLE_USER");
    assertThat(read.getAuthentication().getPrincipal()).isInstanceOf(User.class);
  }

  @Test
  void a_value_of_a_class_the_codec_does_not_allow_is_refused_and_nothing_is_stored() {
    String id = saved(Map.of("cart", "apples"));
    Session session = repository.findById(id);
    counted.reset();

    assertThatThrownBy(() -> session.setAttribute("basket", new Basket("apples", 3)))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION))
        .hasMessageContaining("'basket'")
        .hasMessageNotContaining(id);
    repository.save(session);

    assertThat(counted.verbs()).containsExactly();
    assertThat(session.getAttributeNames()).containsExactly("cart");
    assertThat(repository.findById(id).getAttributeNames()).containsExactly("cart");
  }

  // ---- Spring Security's registry ----

  @Test
  void the_registry_lists_a_users_sessions_oldest_first_by_ref() {
    TwoLogins alice = loggedInTwice("alice");
    saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("bob")));

    List<SessionInformation> sessions = registry.getAllSessions("alice", false);

    assertThat(sessions)
        .extracting(SessionInformation::getSessionId)
        .containsExactly(refOf(alice.older()), refOf(alice.newer()));
    assertThat(sessions.get(0).getLastRequest().toInstant()).isEqualTo(T0);
    assertThat(sessions.get(1).getLastRequest().toInstant()).isEqualTo(T0.plusSeconds(60));
    assertThat(sessions).allSatisfy(s -> assertThat(s.isExpired()).isFalse());
    // Spring Security asks with the principal object too
    User principal = (User) loggedIn("alice").getAuthentication().getPrincipal();
    assertThat(registry.getAllSessions(principal, true)).hasSize(2);
  }

  @Test
  void expireNow_deletes_that_session_so_its_browser_is_logged_out_on_any_node() {
    TwoLogins alice = loggedInTwice("alice");
    SessionInformation oldest = registry.getAllSessions("alice", false).get(0);

    oldest.expireNow();

    assertThat(oldest.isExpired()).isTrue();
    assertThat(otherNode.findById(alice.older())).isNull();
    assertThat(otherNode.findById(alice.newer())).isNotNull();
    assertThat(registry.getAllSessions("alice", false))
        .extracting(SessionInformation::getSessionId)
        .containsExactly(refOf(alice.newer()));
  }
}

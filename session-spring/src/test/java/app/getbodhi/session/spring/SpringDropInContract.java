package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spring.gadget.Gadget;
import app.getbodhi.session.spring.shop.Cart;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * What an application moving from Spring Session JDBC relies on: listing keys that Spring's own
 * components can use, values as applications have them, a session with an unreadable value treated
 * as no session, and the principal index and timeouts as Spring resolves them. Two nodes on one
 * real database; a subclass names the backend.
 */
abstract class SpringDropInContract extends RepositoryNodes {

  /** A repository on the other node's store whose codec serializes the shop's types. */
  private BodhiSessionRepository serializingNode(List<String> packages) {
    return repositoryOn(
        otherStore,
        new SerializingAttributeCodec(
            packages, JacksonAttributeCodec.withSecurityModules(), getClass().getClassLoader()));
  }

  // ---- keys Spring can use ----

  @Test
  void findByPrincipalName_keys_are_accepted_by_findById_and_deleteById_on_any_node() {
    String older = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice")));
    String newer = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice")));

    Map<String, Session> alices = repository.findByPrincipalName("alice");
    Session byKey = otherNode.findById(refOf(older));

    assertThat(alices.keySet()).containsExactlyInAnyOrder(refOf(older), refOf(newer));
    assertThat(byKey).isInstanceOf(ListedSession.class);
    assertThat(byKey.getId()).isEqualTo(refOf(older));
    otherNode.deleteById(refOf(older));
    assertThat(repository.findById(older)).isNull();
    assertThat(repository.findById(refOf(older))).isNull();
    assertThat(repository.findById(newer)).isNotNull();
  }

  @Test
  void springs_own_registry_expires_the_older_session_on_the_other_node() {
    TwoLogins alice = loggedInTwice("alice");
    SpringSessionBackedSessionRegistry<Session> spring =
        new SpringSessionBackedSessionRegistry<>(repository);

    List<SessionInformation> sessions =
        spring.getAllSessions(loggedIn("alice").getAuthentication().getPrincipal(), false);
    // what ConcurrentSessionControlAuthenticationStrategy does when the limit is 1
    sessions.stream()
        .min((a, b) -> a.getLastRequest().compareTo(b.getLastRequest()))
        .orElseThrow()
        .expireNow();

    assertThat(sessions).hasSize(2);
    assertThat(sessions).extracting(SessionInformation::getPrincipal).containsOnly("alice");
    assertThat(otherNode.findById(alice.older())).isNull();
    assertThat(otherNode.findById(alice.newer())).isNotNull();
    assertThat(spring.getAllSessions("alice", false))
        .extracting(SessionInformation::getSessionId)
        .containsExactly(refOf(alice.newer()));
  }

  @Test
  void a_listed_session_ends_its_session_when_saved_with_springs_expired_marker_and_nothing_else() {
    String id = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
    Session listed = repository.findById(refOf(id));

    assertThatThrownBy(() -> listed.setAttribute("cart", "apples"))
        .isInstanceOf(UnsupportedOperationException.class);
    repository.save(listed);
    assertThat(otherNode.findById(id)).isNotNull();

    listed.setAttribute(ListedSession.SPRING_EXPIRED_ATTRIBUTE, true);
    repository.save(listed);
    assertThat(otherNode.findById(id)).isNull();
  }

  @Test
  void findById_and_deleteById_of_an_unknown_ref_find_and_delete_nothing() {
    String id = saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));
    String unknown = refOf(SessionId.generate().value());

    assertThat(repository.findById(unknown)).isNull();
    repository.deleteById(unknown);
    assertThat(repository.findById(id)).isNotNull();
  }

  @Test
  void the_registry_answers_session_information_by_id_from_the_request_it_serves() {
    String id = saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice")));

    repository.inRequest(
        () -> {
          repository.findById(id);
          counted.reset();
          SessionInformation information = registry.getSessionInformation(id);

          assertThat(counted.verbs()).isEmpty();
          assertThat(information.getPrincipal()).isEqualTo("alice");
          assertThat(information.getSessionId()).isEqualTo(id);
          assertThat(information.getLastRequest().toInstant()).isEqualTo(T0);
          assertThat(information.isExpired()).isFalse();
        });
    assertThat(registry.getSessionInformation(refOf(id))).isNotNull();
    assertThat(registry.getSessionInformation(SessionId.generate().value())).isNull();
    assertThat(registry.getSessionInformation("not an id")).isNull();
  }

  @Test
  void the_registry_lists_the_principals_of_live_sessions() {
    saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice")));
    saved(Map.of("SPRING_SECURITY_CONTEXT", loggedIn("alice")));
    saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "bob"));
    saved(Map.of("cart", "apples"));
    BodhiSession brief = repository.createSession();
    brief.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "carol");
    brief.setMaxInactiveInterval(Duration.ofMinutes(1));
    repository.save(brief);
    clock.advance(Duration.ofMinutes(2));

    assertThat(registry.getAllPrincipals()).containsExactlyInAnyOrder("alice", "bob");
  }

  // ---- values ----

  @Test
  void byte_arrays_and_the_jdk_value_types_come_back_as_their_own_class_on_the_other_node() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("bytes", new byte[] {0, 1, -2, 127});
    values.put("int", 42);
    values.put("short", (short) 7);
    values.put("byte", (byte) -3);
    values.put("float", 1.5f);
    values.put("char", 'x');
    values.put("long", 1L << 40);
    values.put("double", 0.25);
    values.put("bigInteger", BigInteger.TWO.pow(100));
    values.put("bigDecimal", new BigDecimal("12345678901234567890.000000001"));
    values.put("uuid", UUID.randomUUID());
    values.put("locale", Locale.CANADA_FRENCH);
    values.put("uri", URI.create("https://example.com/a?b=c"));
    values.put("date", new Date(1_700_000_000_123L));
    values.put("instant", Instant.parse("2030-01-01T09:00:00.123456789Z"));
    values.put("localDate", LocalDate.of(2030, 1, 2));
    values.put("localDateTime", LocalDateTime.of(2030, 1, 2, 3, 4, 5));
    values.put("zoned", ZonedDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris")));
    values.put("zone", ZoneId.of("Asia/Tokyo"));
    values.put("offset", ZoneOffset.ofHours(2));
    values.put("duration", Duration.ofMillis(1500));
    String id = saved(values);

    Session found = otherNode.findById(id);

    values.forEach(
        (name, value) -> {
          Object read = found.getAttribute(name);
          assertThat(read).as(name).isInstanceOf(value.getClass()).isEqualTo(value);
        });
  }

  @Test
  void an_application_type_in_an_allowed_package_round_trips_through_jdk_serialization() {
    BodhiSessionRepository shop = serializingNode(List.of("app.getbodhi.session.spring.shop"));
    BodhiSession session = shop.createSession();
    Cart cart = new Cart(List.of("apples", "pears"), LocalDate.of(2030, 1, 1));
    session.setAttribute("cart", cart);
    session.setAttribute("SPRING_SECURITY_CONTEXT", loggedIn("alice"));
    shop.save(session);

    Session found =
        serializingNode(List.of("app.getbodhi.session.spring.shop")).findById(session.getId());

    assertThat(found.<Cart>getAttribute("cart")).isEqualTo(cart);
    assertThat(shop.findByPrincipalName("alice")).hasSize(1);
  }

  @Test
  void without_the_opt_in_an_application_type_is_refused_when_it_is_set() {
    BodhiSession session = repository.createSession();

    assertThatThrownBy(() -> session.setAttribute("cart", new Cart(List.of("apples"), null)))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION))
        .hasMessageContaining("'cart'");
  }

  @Test
  void a_value_holding_a_class_outside_the_allow_list_is_refused_when_it_is_set() {
    BodhiSessionRepository shop = serializingNode(List.of("app.getbodhi.session.spring.shop"));
    BodhiSession session = shop.createSession();

    assertThatThrownBy(
            () -> session.setAttribute("cart", new Cart(List.of(), new Gadget("calc.exe"))))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION))
        .hasMessageContaining("'cart'")
        .hasMessageContaining(Gadget.class.getName())
        .hasMessageContaining(SerializingAttributeCodec.PROPERTY);
  }

  @Test
  void the_allow_list_refuses_wildcards_top_level_and_jdk_packages_naming_the_property() {
    for (List<String> packages :
        List.of(
            List.<String>of(),
            List.of("*"),
            List.of("com.example.*"),
            List.of("org"),
            List.of("java.util"),
            List.of("javax.management"),
            List.of("sun.misc"))) {
      assertThatThrownBy(
              () ->
                  new SerializingAttributeCodec(
                      packages, new JsonOnlyAttributeCodec(), getClass().getClassLoader()))
          .as(packages.toString())
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
          .hasMessageStartingWith(SerializingAttributeCodec.PROPERTY);
    }
  }

  // ---- a value that cannot be decoded ----

  private static String serialized(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /**
   * Writes a session straight into the store, past every codec, as an attacker with the id could.
   */
  private SessionId planted(String name, Object stored) {
    SessionRecord record =
        new SessionRecord(
            SessionId.generate(),
            Map.of(name, stored, "user_id", "alice"),
            clock.instant().plus(TIMEOUT));
    return store.create(record).id();
  }

  @Test
  void a_planted_gadget_is_never_read_and_its_session_is_no_session_with_one_warn_line()
      throws IOException {
    SessionId id =
        planted(
            "cart", Map.of(SerializingAttributeCodec.SERIALIZED_KEY, serialized(new Gadget("x"))));
    BodhiSessionRepository shop = serializingNode(List.of("app.getbodhi.session.spring.shop"));

    try (CapturedLog log = new CapturedLog(BodhiSessionRepository.class)) {
      assertThat(shop.findById(id.value())).isNull();
      assertThat(shop.findById(id.value())).isNull();

      assertThat(log.events()).hasSize(1);
      ILoggingEvent line = log.events().get(0);
      assertThat(line.getLevel()).isEqualTo(Level.WARN);
      assertThat(line.getFormattedMessage())
          .contains("'cart'")
          .doesNotContain(id.value())
          .doesNotContain(Gadget.class.getName());
      assertThat(line.getThrowableProxy()).isNull();
    }
    assertThat(store.countSessionsForUser("alice")).isZero();
  }

  @Test
  void a_planted_type_id_jackson_refuses_makes_its_session_no_session() {
    SessionId id =
        planted(
            "SPRING_SECURITY_CONTEXT",
            Map.of(JacksonAttributeCodec.ENCODED_KEY, "[\"java.net.URL\",\"http://example.com\"]"));
    saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "alice"));

    try (CapturedLog log = new CapturedLog(BodhiSessionRepository.class)) {
      assertThat(repository.findById(id.value())).isNull();
      assertThat(log.events()).hasSize(1);
    }
    assertThat(repository.findByPrincipalName("alice")).hasSize(1);
  }

  @Test
  void a_serialized_value_read_without_the_opt_in_makes_its_session_no_session() {
    BodhiSessionRepository shop = serializingNode(List.of("app.getbodhi.session.spring.shop"));
    BodhiSession session = shop.createSession();
    session.setAttribute("cart", new Cart(List.of("apples"), null));
    shop.save(session);

    try (CapturedLog log = new CapturedLog(BodhiSessionRepository.class)) {
      assertThat(repository.findById(session.getId())).isNull();
      assertThat(log.events()).hasSize(1);
    }
  }

  @Test
  void a_tagged_jdk_value_that_does_not_parse_makes_its_session_no_session() {
    SessionId id = planted("when", Map.of(JdkValues.KEY, List.of("instant", "yesterday")));

    assertThat(otherNode.findById(id.value())).isNull();
  }

  // ---- idle timeout and last access ----

  /** One request as Spring's filter makes it: find, stamp the access time, save. */
  private void request(String id) {
    Session session = repository.findById(id);
    session.setLastAccessedTime(clock.instant());
    repository.save(session);
  }

  @Test
  void a_read_within_the_granularity_writes_nothing_and_the_session_still_lives_its_timeout() {
    String id = saved(Map.of("cart", "apples"));
    clock.advance(slack(TIMEOUT).minusSeconds(1));
    counted.reset();
    request(id);
    assertThat(counted.verbs()).containsExactly("SELECT");

    // at least the timeout after that last request, on the other node too
    clock.advance(TIMEOUT.minusSeconds(1));
    assertThat(otherNode.findById(id)).isNotNull();
  }

  @Test
  void a_session_lives_at_most_its_timeout_and_the_granularity_after_its_last_request() {
    String id = saved(Map.of("cart", "apples"));
    clock.advance(Duration.ofMinutes(20));
    request(id);
    Instant last = clock.instant();

    clock.advance(TIMEOUT.plus(slack(TIMEOUT)));

    assertThat(Duration.between(last, clock.instant())).isEqualTo(TIMEOUT.plus(slack(TIMEOUT)));
    assertThat(otherNode.findById(id)).isNull();
  }

  @Test
  void setLastAccessedTime_is_stored_and_read_back_within_the_granularity() {
    String id = saved(Map.of("cart", "apples"));
    Session session = repository.findById(id);
    Instant later = T0.plus(Duration.ofMinutes(10));

    session.setLastAccessedTime(later);
    counted.reset();
    repository.save(session);

    assertThat(counted.verbs()).containsExactly("UPDATE");
    assertThat(otherNode.findById(id).getLastAccessedTime()).isEqualTo(later);
    assertThat(otherNode.findByPrincipalName("nobody")).isEmpty();
  }

  // ---- principal index and timeouts as Spring resolves them ----

  @Test
  void the_principal_name_attribute_wins_over_the_security_context() {
    BodhiSession session = repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "bob");
    session.setAttribute("SPRING_SECURITY_CONTEXT", loggedIn("alice"));
    repository.save(session);

    assertThat(repository.findByPrincipalName("bob")).hasSize(1);
    assertThat(repository.findByPrincipalName("alice")).isEmpty();
  }

  @Test
  void removing_the_principal_name_attribute_falls_back_to_the_security_context() {
    BodhiSession session = repository.createSession();
    session.setAttribute("SPRING_SECURITY_CONTEXT", loggedIn("alice"));
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "bob");
    repository.save(session);
    Session found = otherNode.findById(session.getId());

    found.removeAttribute(PRINCIPAL_NAME_INDEX_NAME);
    otherNode.save(found);

    assertThat(repository.findByPrincipalName("bob")).isEmpty();
    assertThat(repository.findByPrincipalName("alice")).hasSize(1);
    found.removeAttribute("SPRING_SECURITY_CONTEXT");
    otherNode.save(found);
    assertThat(repository.findByPrincipalName("alice")).isEmpty();
  }

  @Test
  void a_listed_session_carries_its_own_timeout() {
    BodhiSession longer = repository.createSession();
    longer.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "alice");
    longer.setMaxInactiveInterval(Duration.ofMinutes(45));
    repository.save(longer);
    BodhiSession forever = repository.createSession();
    forever.setAttribute(PRINCIPAL_NAME_INDEX_NAME, "bob");
    forever.setMaxInactiveInterval(Duration.ofSeconds(-1));
    repository.save(forever);
    saved(Map.of(PRINCIPAL_NAME_INDEX_NAME, "carol"));

    assertThat(single("alice").getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(45));
    assertThat(single("bob").getMaxInactiveInterval()).isNegative();
    assertThat(single("carol").getMaxInactiveInterval()).isEqualTo(TIMEOUT);
  }

  private Session single(String user) {
    Map<String, Session> found = otherNode.findByPrincipalName(user);
    assertThat(found).hasSize(1);
    return found.values().iterator().next();
  }
}

package app.getbodhi.session.reliability;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.jooq.JooqSessionStore;
import app.getbodhi.session.jooq.internal.Sealing;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the store puts in the database and how it asks: session data sealed (AES-GCM under a key
 * derived from the id) around JSON text only, never a Java serialization stream in either
 * direction; rows keyed by refs, never by ids; a row that was tampered with counts as no session
 * and costs nothing else; and every statement parameterised.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class StorageFormatTest {

  @Parameter private Backend backend;

  private static final Instant EXPIRY = Instant.now().plus(1, ChronoUnit.DAYS);

  /**
   * The keys of a store without a server secret, as {@link SessionStoreBackend#connect(String)}
   * opens it: what someone who knows a session id can compute, to read or forge its row.
   */
  private static final Sealing NO_SECRET = new Sealing(SessionSecret.none(), Optional.empty());

  private static byte[] storedData(TestDatabase db, SessionRef ref) throws Exception {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement query =
            connection.prepareStatement("SELECT data FROM bodhi_sessions WHERE id = ?")) {
      query.setString(1, ref.value());
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).as("a row under the ref").isTrue();
        return rows.getBytes(1);
      }
    }
  }

  /** Overwrites a row's data behind the store's back, as someone with write access could. */
  private static void overwriteData(TestDatabase db, SessionRef ref, byte[] data) {
    assertThat(db.execute("UPDATE bodhi_sessions SET data = ? WHERE id = ?", data, ref.value()))
        .as("one row overwritten")
        .isEqualTo(1);
  }

  private static byte[] javaSerializationStream() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ArrayList<>(List.of("gadget")));
    }
    return bytes.toByteArray();
  }

  private static SessionRecord session(String user, String marker) {
    return new SessionRecord(
        SessionId.generate(),
        Map.of("user_id", user, "roles", List.of("admin"), "n", 3L, "marker", marker),
        EXPIRY);
  }

  @Test
  void session_data_is_stored_sealed_around_json_text_and_nothing_else() throws Exception {
    try (TestDatabase db = backend.freshDatabase();
        SessionStoreBackend store = SessionStoreBackend.connect(db.url())) {
      Map<String, Object> data =
          Map.of(
              "user_id",
              "alice",
              "roles",
              List.of("admin"),
              "n",
              3L,
              "o",
              Map.of("k", "plaintext-marker-7Qz"));
      SessionRecord record = new SessionRecord(SessionId.generate(), data, EXPIRY);
      store.save(record);
      SessionRef ref = store.refOf(record.id());

      byte[] stored = storedData(db, ref);

      assertThat(stored[0]).as("the sealed format byte").isEqualTo(Sealing.FORMAT_AES_GCM);
      assertThat(new String(stored, StandardCharsets.ISO_8859_1))
          .as("no stored value readable in the row")
          .doesNotContain("plaintext-marker-7Qz", "admin", "roles");
      assertThat(db.userIdColumn(ref))
          .as("the user id stays readable, by design")
          .isEqualTo("alice");
      assertThat(
              db.queryLong("SELECT count(*) FROM bodhi_sessions WHERE id = ?", record.id().value()))
          .as("no row under the id itself")
          .isZero();
      byte[] plain = NO_SECRET.open(NO_SECRET.keys(record.id()), ref.value(), stored).orElseThrow();
      assertThat(stored).hasSize(plain.length + Sealing.OVERHEAD);
      assertThat(plain[0]).as("a JSON object, not a serialization stream").isEqualTo((byte) '{');
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = new ObjectMapper().readValue(plain, Map.class);
      // through SessionRecord, so that JSON's 3 and Java's 3L compare equal
      assertThat(new SessionRecord(record.id(), parsed, EXPIRY)).isEqualTo(record);
    }
  }

  /**
   * A serialization stream can only reach the JSON parser from a row stored before sealing, which
   * the sealing migration sealed as it was: it must fail as JSON, never be deserialized.
   */
  @Test
  void a_java_serialization_stream_stored_before_sealing_is_never_deserialized() throws Exception {
    try (TestDatabase db = backend.freshDatabase()) {
      SessionId id = SessionId.generate();
      db.execute(db.legacySessionTableDdl());
      db.insertSessionRow(id, javaSerializationStream(), EXPIRY);
      // connecting migrates, and so seals the row
      try (SessionStoreBackend store = SessionStoreBackend.connect(db.url())) {
        assertThat(storedData(db, store.refOf(id))[0]).isEqualTo(Sealing.FORMAT_AES_GCM);

        assertThatThrownBy(() -> store.load(id))
            .isInstanceOfSatisfying(
                SessionServiceException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.SERIALIZATION));
      }
    }
  }

  @Test
  void a_java_serialization_stream_written_over_a_sealed_row_is_no_session() throws Exception {
    try (TestDatabase db = backend.freshDatabase();
        SessionStoreBackend store = SessionStoreBackend.connect(db.url())) {
      SessionRecord victim = session("alice", "victim");
      store.save(victim);

      overwriteData(db, store.refOf(victim.id()), javaSerializationStream());

      assertThat(store.load(victim.id())).isEmpty();
    }
  }

  /**
   * Rows changed behind the store's back by someone who can write the database but does not hold
   * the session ids: whatever they do to a sealed row, it fails to authenticate, loads as no
   * session, and the rest of the store is unharmed.
   */
  @Nested
  class TamperedRows {
    private TestDatabase db;
    private SessionStoreBackend store;
    private final List<SessionRecord> bystanders = new ArrayList<>();

    @BeforeEach
    void open() {
      db = backend.freshDatabase();
      store = SessionStoreBackend.connect(db.url());
      for (int i = 0; i < 5; i++) {
        SessionRecord bystander = session("bystander-" + i, "bystander");
        store.save(bystander);
        bystanders.add(bystander);
      }
    }

    @AfterEach
    void close() {
      if (db != null) {
        db.closeAfter(List.of(store));
      }
    }

    private SessionRecord saved(String user) {
      SessionRecord record = session(user, "victim");
      store.save(record);
      return record;
    }

    /** A saved session with the key and the sealed bytes of its row, as the database holds them. */
    private record SealedRow(SessionRecord record, SessionRef ref, byte[] data) {
      SessionId id() {
        return record.id();
      }
    }

    private SealedRow sealedRow(String user) throws Exception {
      SessionRecord record = saved(user);
      SessionRef ref = store.refOf(record.id());
      return new SealedRow(record, ref, storedData(db, ref));
    }

    /** Writes {@code data} into the row as it is stored; then the row must load as no session. */
    private void assertNoSessionHolding(SealedRow row, byte[] data, String what, Object... args)
        throws Exception {
      overwriteData(db, row.ref(), data);
      assertThat(store.load(row.id())).as(what, args).isEmpty();
    }

    /** The bystanders load as written, and every row is still there. */
    private void assertNothingElseLost(int victims) {
      for (SessionRecord bystander : bystanders) {
        assertThat(content(store.load(bystander.id())))
            .as("a session nobody tampered with")
            .contains(content(bystander));
      }
      assertThat(db.sessionRowCount()).isEqualTo(bystanders.size() + victims);
    }

    @Test
    void flipping_any_one_bit_of_a_sealed_row_makes_it_no_session_until_it_is_restored()
        throws Exception {
      SealedRow victim = sealedRow("alice");
      byte[] original = victim.data();

      for (int i = 0; i < original.length; i++) {
        byte[] flipped = original.clone();
        flipped[i] ^= (byte) (1 << (i % 8));
        assertNoSessionHolding(victim, flipped, "bit %d of byte %d flipped", i % 8, i);
      }
      overwriteData(db, victim.ref(), original);

      assertThat(content(store.load(victim.id())))
          .as("restored, it loads again: only the flips made it fail")
          .contains(content(victim.record()));
      assertNothingElseLost(1);
    }

    @Test
    void a_truncated_or_emptied_sealed_row_is_no_session() throws Exception {
      SealedRow victim = sealedRow("alice");
      byte[] original = victim.data();

      for (int length :
          List.of(
              original.length - 1, original.length - Sealing.TAG_BYTES, Sealing.OVERHEAD, 1, 0)) {
        assertNoSessionHolding(victim, Arrays.copyOf(original, length), "cut to %d bytes", length);
      }
      assertNothingElseLost(1);
    }

    @Test
    void sealed_data_swapped_between_two_rows_opens_in_neither() throws Exception {
      SealedRow alice = sealedRow("alice");
      SealedRow mallory = sealedRow("mallory");

      overwriteData(db, alice.ref(), mallory.data());
      overwriteData(db, mallory.ref(), alice.data());

      assertThat(store.load(alice.id())).as("alice's row holding mallory's data").isEmpty();
      assertThat(store.load(mallory.id())).as("mallory's row holding alice's data").isEmpty();
      overwriteData(db, alice.ref(), alice.data());
      overwriteData(db, mallory.ref(), mallory.data());
      assertThat(content(store.load(alice.id()))).contains(content(alice.record()));
      assertThat(content(store.load(mallory.id()))).contains(content(mallory.record()));
      assertNothingElseLost(2);
    }

    @Test
    void plaintext_json_written_over_a_sealed_row_is_no_session_even_through_a_request()
        throws Exception {
      SealedRow victim = sealedRow("alice");

      assertNoSessionHolding(
          victim,
          "{\"user_id\":\"admin\",\"roles\":[\"admin\"]}".getBytes(StandardCharsets.UTF_8),
          "plaintext JSON");
      SessionHandle request =
          new SessionHandle(SessionManagerLayer.of(store), List.of(victim.id().value()));
      assertThat(request.exists()).as("the request has no session").isFalse();
      assertThat(request.get(SessionRecord.USER_ID_KEY)).isEmpty();
      assertNothingElseLost(1);
    }
  }

  @Test
  void every_statement_the_store_sends_takes_its_values_as_parameters() {
    try (TestDatabase db = backend.freshDatabase();
        SessionStoreBackend store = SessionStoreBackend.connect(db.url())) {
      Map<String, String> statements = ((JooqSessionStore) store.store()).statements();

      assertThat(statements).isNotEmpty();
      statements.forEach(
          (operation, sql) -> {
            assertThat(sql).as("%s has no string literal", operation).doesNotContain("'");
            assertThat(sql).as("%s has no comment", operation).doesNotContain("--", "/*");
          });
      assertThat(statements.get("load")).contains("?");
      assertThat(statements.get("save")).contains("?");
      assertThat(statements.get("clearSessionsForUser")).contains("user_id = ?");
      assertThat(statements.get("deleteRef")).contains("?");
      assertThat(statements.get("findRefsByPrefix")).contains("?");
      assertThat(statements.get("loadSealedPage")).contains("?");
    }
  }
}

package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.jooq.JooqSessionStore;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.tck.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the store puts in the database and how it asks: session data as JSON text only (never a Java
 * serialization stream, in either direction), and every statement parameterised.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StorageFormatTest {

  private static final Instant EXPIRY = Instant.now().plus(1, ChronoUnit.DAYS);

  private static byte[] storedData(TestDatabase db, SessionId id) throws Exception {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement query =
            connection.prepareStatement("SELECT data FROM bodhi_sessions WHERE id = ?")) {
      query.setString(1, id.value());
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getBytes(1);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void session_data_is_stored_as_json_text_and_nothing_else(Backend backend) throws Exception {
    try (TestDatabase db = backend.freshDatabase();
        SessionStoreBackend store = SessionStoreBackend.connect(db.url())) {
      Map<String, Object> data =
          Map.of("user_id", "alice", "roles", List.of("admin"), "n", 3L, "o", Map.of("k", "v"));
      SessionRecord record = new SessionRecord(SessionId.generate(), data, EXPIRY);
      store.save(record);

      byte[] stored = storedData(db, record.id());

      assertThat(stored[0]).as("a JSON object, not a serialization stream").isEqualTo((byte) '{');
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = new ObjectMapper().readValue(stored, Map.class);
      // through SessionRecord, so that JSON's 3 and Java's 3L compare equal
      assertThat(new SessionRecord(record.id(), parsed, EXPIRY)).isEqualTo(record);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void a_java_serialization_stream_in_a_row_is_never_deserialized(Backend backend)
      throws Exception {
    try (TestDatabase db = backend.freshDatabase();
        SessionStoreBackend store = SessionStoreBackend.connect(db.url())) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(new ArrayList<>(List.of("gadget")));
      }
      SessionId id = SessionId.generate();
      db.insertSessionRow(id, bytes.toByteArray(), EXPIRY);

      assertThatThrownBy(() -> store.load(id))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.SERIALIZATION));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void every_statement_the_store_sends_takes_its_values_as_parameters(Backend backend) {
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
    }
  }
}

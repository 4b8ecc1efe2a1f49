package app.getbodhi.session.tests;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.web.SessionManagerLayer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test utilities applications use: a ready SQLite session service and session readers. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionTestSupportTest {

  @TempDir Path dir;

  private static SessionRecord aliceSession() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(SessionRecord.USER_ID_KEY, "alice");
    data.put("theme", "dark");
    data.put("cleared", null);
    data.put("tags", Arrays.asList("a", "b"));
    return new SessionRecord(SessionId.generate(), data, Instant.now().plus(1, ChronoUnit.HOURS));
  }

  @Test
  void build_session_service_gives_a_migrated_sqlite_service_in_the_given_file() {
    Path file = dir.resolve("nested/folders/session.sqlite");

    try (DefaultSessionService service = SessionTestSupport.buildSessionService(file)) {
      assertThat(file).isRegularFile();
      assertThat(service.getSessionStore().backendName()).isEqualTo("sqlite");
      assertThat(service.backend().kind()).isEqualTo("sqlite");
      assertThat(service.sessionLayer().cookieName())
          .isEqualTo(SessionManagerLayer.DEFAULT_COOKIE_NAME);
      SessionRecord saved = aliceSession();
      service.getSessionStore().save(saved);
      assertThat(service.countSessionsForUser("alice")).isEqualTo(1);
      assertThat(service.clearSessionsForUser("alice")).isEqualTo(1);
    }
  }

  @Test
  void a_second_service_on_the_same_file_reads_what_the_first_stored() {
    Path file = dir.resolve("session.sqlite");
    SessionRecord saved = aliceSession();
    try (DefaultSessionService first = SessionTestSupport.buildSessionService(file)) {
      first.getSessionStore().save(saved);
    }

    try (DefaultSessionService second = SessionTestSupport.buildSessionService(file)) {
      assertThat(content(SessionTestSupport.readRecord(second, saved.id())))
          .contains(content(saved));
    }
  }

  @Test
  void read_record_and_read_value_return_what_is_stored_and_empty_otherwise() {
    try (DefaultSessionService service =
        SessionTestSupport.buildSessionService(dir.resolve("session.sqlite"))) {
      SessionRecord saved = aliceSession();
      service.getSessionStore().save(saved);
      SessionId unknown = SessionId.generate();

      assertThat(content(SessionTestSupport.readRecord(service, saved.id())))
          .contains(content(saved));
      assertThat(SessionTestSupport.readValue(service, saved.id(), "theme")).contains("dark");
      assertThat(SessionTestSupport.readValue(service, saved.id(), "user_id")).contains("alice");
      assertThat(SessionTestSupport.readValue(service, saved.id(), "tags"))
          .contains(Arrays.asList("a", "b"));
      assertThat(SessionTestSupport.readValue(service, saved.id(), "cleared")).isEmpty();
      assertThat(SessionTestSupport.readValue(service, saved.id(), "missing")).isEmpty();
      assertThat(SessionTestSupport.readRecord(service, unknown)).isEmpty();
      assertThat(SessionTestSupport.readValue(service, unknown, "theme")).isEmpty();
    }
  }

  @Test
  void closing_the_service_closes_its_store() {
    DefaultSessionService service =
        SessionTestSupport.buildSessionService(dir.resolve("session.sqlite"));
    SessionId id = SessionId.generate();

    service.close();

    assertThatThrownBy(() -> SessionTestSupport.readRecord(service, id))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE));
  }
}

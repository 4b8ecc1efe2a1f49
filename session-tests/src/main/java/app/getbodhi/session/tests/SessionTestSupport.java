package app.getbodhi.session.tests;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionService;
import app.getbodhi.session.service.SessionStoreBackend;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Test utilities for applications that use bodhi-sessions: build a ready session service on a
 * SQLite file, and read what a request stored in a session.
 *
 * <pre>{@code
 * @TempDir Path dir;
 *
 * @Test
 * void login_stores_the_user() {
 *   try (DefaultSessionService sessions = SessionTestSupport.buildSessionService(dir.resolve("s.sqlite"))) {
 *     ... run a request through sessions.sessionLayer() ...
 *     assertThat(SessionTestSupport.readValue(sessions, id, "user_id")).contains("alice");
 *   }
 * }
 * }</pre>
 */
public final class SessionTestSupport {

  private SessionTestSupport() {}

  /**
   * Builds a session service on a SQLite file: opens the SQLite backend found on the classpath
   * through {@link SessionStoreBackend#connect(String)} (which migrates it) and wraps it in a
   * {@link DefaultSessionService}. Closing the service closes the store.
   *
   * @param dbFile the database file; it and its missing parent folders are created
   * @return the service, ready to use
   */
  public static DefaultSessionService buildSessionService(Path dbFile) {
    Objects.requireNonNull(dbFile, "dbFile");
    SessionStoreBackend backend = SessionStoreBackend.connect("sqlite:" + dbFile);
    try {
      return new DefaultSessionService(backend);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /**
   * Reads a stored session through the service's store.
   *
   * @param service the session service
   * @param id the session id
   * @return the record, or empty when there is no live session with this id
   */
  public static Optional<SessionRecord> readRecord(SessionService service, SessionId id) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(id, "id");
    return service.getSessionStore().load(id);
  }

  /**
   * Reads one value of a stored session.
   *
   * @param service the session service
   * @param id the session id
   * @param key the data key
   * @return the value, or empty when there is no live session with this id, the key is absent or
   *     its value is JSON null
   */
  public static Optional<Object> readValue(SessionService service, SessionId id, String key) {
    Objects.requireNonNull(key, "key");
    return readRecord(service, id).flatMap(record -> Optional.ofNullable(record.data().get(key)));
  }
}

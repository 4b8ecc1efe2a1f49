package app.getbodhi.session.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.service.ForwardingSessionStore;
import app.getbodhi.session.service.SqliteStores;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.tck.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How often a handle tries to rotate a session id that other requests keep changing: exactly {@link
 * SessionHandle#MAX_WRITE_ATTEMPTS} times, then a DATABASE error. The conflicts are real: before
 * each of the handle's rotations, another writer changes the row in the same SQLite store, so the
 * store's conditional delete finds a newer revision.
 */
class SessionHandleRotationBoundTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path dir;
  private SqliteSessionStore sqlite;
  private ContendedStore store;
  private SessionManagerLayer layer;

  /** A real store in which another request changes the row just before each rotation. */
  private static final class ContendedStore extends ForwardingSessionStore {
    private int conflictsLeft;
    private int rotations;

    ContendedStore(ManagedSessionStore delegate) {
      super(delegate);
    }

    @Override
    public Optional<SessionRecord> rotate(SessionId from, SessionRecord to) {
      rotations++;
      if (conflictsLeft > 0) {
        conflictsLeft--;
        // what a parallel request's write does: the row's revision grows
        assertThat(
                store()
                    .modify(
                        from,
                        current ->
                            Optional.of(
                                new SessionRecord(
                                    current.id(),
                                    Map.of("k", "v", "parallel", rotations),
                                    current.expiryDate(),
                                    current.createdAt(),
                                    current.lastAccessedAt(),
                                    current.maxInactiveInterval(),
                                    current.revision()))))
            .isPresent();
      }
      return super.rotate(from, to);
    }
  }

  @BeforeEach
  void open() {
    MutableClock clock = MutableClock.at(START);
    sqlite = SqliteStores.migrated(dir, clock);
    store = new ContendedStore(sqlite);
    layer = SessionManagerLayer.builder(store).clock(clock).build();
  }

  @AfterEach
  void close() {
    sqlite.close();
  }

  /** Creates a session and starts a request that rotates its id. */
  private SessionHandle rotatingRequest() {
    SessionHandle first = new SessionHandle(layer, List.of());
    first.put("k", "v");
    String cookie = first.commit(false).orElseThrow().value();
    SessionHandle handle = new SessionHandle(layer, List.of(cookie));
    handle.get("k");
    handle.rotateId();
    return handle;
  }

  @Test
  void underPersistentConflictTheHandleMakesExactlyTheBoundedNumberOfAttempts() {
    SessionHandle handle = rotatingRequest();
    store.conflictsLeft = Integer.MAX_VALUE;

    assertThatThrownBy(() -> handle.commit(false))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE))
        .hasMessageContaining("each of " + SessionHandle.MAX_WRITE_ATTEMPTS + " attempts");
    assertThat(store.rotations).isEqualTo(SessionHandle.MAX_WRITE_ATTEMPTS).isEqualTo(5);
  }

  @Test
  void aConflictOnEveryAttemptButTheLastStillRotates() {
    SessionHandle handle = rotatingRequest();
    store.conflictsLeft = SessionHandle.MAX_WRITE_ATTEMPTS - 1;

    String issued = handle.commit(false).orElseThrow().value();

    assertThat(store.rotations).isEqualTo(SessionHandle.MAX_WRITE_ATTEMPTS);
    SessionRecord rotated = sqlite.load(SessionId.parse(issued).orElseThrow()).orElseThrow();
    assertThat(rotated.data())
        .as("the parallel requests' last change survives the merge")
        .containsEntry("parallel", (long) SessionHandle.MAX_WRITE_ATTEMPTS - 1);
  }
}

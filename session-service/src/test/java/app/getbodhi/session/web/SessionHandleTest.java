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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework-neutral session logic, on a real SQLite store, without a servlet container. */
class SessionHandleTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path dir;
  private SqliteSessionStore sqlite;
  private CountingStore store;
  private final MutableClock clock = MutableClock.at(START);
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
    sqlite = SqliteStores.migrated(dir, clock);
    store = new CountingStore(sqlite);
    layer = SessionManagerLayer.builder(store).clock(clock).build();
  }

  @AfterEach
  void close() {
    sqlite.close();
  }

  private void at(Instant now) {
    clock.set(now);
  }

  private SessionHandle request(String... cookies) {
    return new SessionHandle(layer, List.of(cookies));
  }

  /** Runs a request that stores {@code data} in a new session, and returns the cookie value. */
  private String newSession(Map<String, Object> data) {
    SessionHandle handle = request();
    data.forEach(handle::put);
    String cookie = handle.commit(false).orElseThrow().value();
    store.reset();
    return cookie;
  }

  @Nested
  class Laziness {

    @Test
    void aRequestThatNeverTouchesTheSessionCostsNothingAndSendsNoCookie() {
      SessionHandle handle = request(SessionId.generate().value());

      assertThat(handle.commit(false)).isEmpty();
      assertThat(store.calls()).isEmpty();
    }

    @Test
    void aRequestThatOnlyReadsCostsOneLoadAndNoWrite() {
      String cookie = newSession(Map.of("visits", 1));

      SessionHandle handle = request(cookie);
      assertThat(handle.get("visits")).contains(1L);

      assertThat(handle.commit(false)).isEmpty();
      assertThat(store.calls()).containsExactly("load");
    }

    @Test
    void aRequestThatChangesAnExistingSessionCostsOneLoadAndOneSave() {
      String cookie = newSession(Map.of("visits", 1));

      SessionHandle handle = request(cookie);
      handle.put("visits", 2);

      assertThat(handle.commit(false)).isEmpty();
      assertThat(store.calls()).containsExactly("load", "updateIfUnchanged");
      assertThat(sqlite.load(SessionId.parse(cookie).orElseThrow()).orElseThrow().data())
          .containsEntry("visits", 2L);
    }

    @Test
    void settingAnEqualValueIsNotAChange() {
      String cookie = newSession(Map.of("visits", 1));

      SessionHandle handle = request(cookie);
      handle.put("visits", 1);
      handle.commit(false);

      assertThat(store.calls()).containsExactly("load");
    }
  }

  @Nested
  class NewSessions {

    @Test
    void aNewSessionIsInsertedOnceAndItsCookieCarriesTheStoredId() {
      SessionHandle handle = request();
      handle.put("user_id", "alice");

      SessionCookie cookie = handle.commit(false).orElseThrow();

      assertThat(store.calls()).containsExactly("create");
      SessionId id = SessionId.parse(cookie.value()).orElseThrow();
      assertThat(sqlite.load(id)).map(SessionRecord::userId).contains(Optional.of("alice"));
      assertThat(cookie.toHeaderValue())
          .startsWith("bodhiapp_session_id=" + id.value() + ";")
          .contains("; Path=/", "; HttpOnly", "; SameSite=Strict")
          .doesNotContain("Max-Age", "Secure");
    }

    @Test
    void anUnknownWellFormedIdIsNotAdoptedANewSessionGetsAFreshId() {
      String forged = SessionId.generate().value();

      SessionHandle handle = request(forged);
      assertThat(handle.exists()).isFalse();
      handle.put("k", "v");
      String issued = handle.commit(false).orElseThrow().value();

      assertThat(issued).isNotEqualTo(forged);
      assertThat(sqlite.load(SessionId.parse(forged).orElseThrow())).isEmpty();
    }

    @Test
    void aRowWhoseDataCannotBeReadCountsAsNoSessionAndIsNotAdopted() throws Exception {
      SessionId legacy = SessionId.generate();
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s.sqlite"));
          java.sql.PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO bodhi_sessions (id, data, expiry_date) VALUES (?, ?, ?)")) {
        insert.setString(1, legacy.value());
        // MessagePack, as tower-sessions stored it: not JSON
        insert.setBytes(2, new byte[] {(byte) 0x83, (byte) 0xa2, 'i', 'd', 0x01});
        insert.setLong(3, START.plus(Duration.ofDays(1)).toEpochMilli());
        insert.executeUpdate();
      }

      SessionHandle handle = request(legacy.value());
      assertThat(handle.exists()).isFalse();
      handle.put("k", "v");
      String issued = handle.commit(false).orElseThrow().value();

      assertThat(issued).isNotEqualTo(legacy.value());
      assertThat(store.calls()).containsExactly("load", "create");
    }

    @Test
    void malformedCookiesCostNoLoad() {
      SessionHandle handle = request("garbage", "x".repeat(10_000), "'; drop table x; --");

      assertThat(handle.exists()).isFalse();
      assertThat(store.calls()).isEmpty();
    }

    @Test
    void anExpiredSessionIsNotAdopted() {
      String cookie = newSession(Map.of("k", "v"));
      at(
          START
              .plus(SessionManagerLayer.DEFAULT_EXPIRY)
              .plus(SessionManagerLayer.DEFAULT_ACCESS_GRANULARITY)
              .plusSeconds(1));

      SessionHandle handle = request(cookie);
      handle.put("k", "w");
      String issued = handle.commit(false).orElseThrow().value();

      assertThat(issued).isNotEqualTo(cookie);
    }

    @Test
    void ofSeveralSameNamedCookiesTheFirstThatNamesASessionWins() {
      String real = newSession(Map.of("k", "real"));

      SessionHandle handle = request("garbage", SessionId.generate().value(), real);

      assertThat(handle.get("k")).contains("real");
      assertThat(store.calls()).containsExactly("load", "load");
    }

    @Test
    void aNonJsonValueIsRefusedNamingTheKeyAndNothingIsStored() {
      SessionHandle handle = request();

      assertThatThrownBy(() -> handle.put("when", Instant.EPOCH))
          .isInstanceOf(SessionServiceException.class)
          .hasMessageContaining("'when'");
      assertThat(handle.commit(false)).isEmpty();
      assertThat(store.calls()).isEmpty();
    }
  }

  @Nested
  class Expiry {

    /** The default layer's granularity: 5 minutes, smaller than a tenth of 14 days. */
    private final Duration g = SessionManagerLayer.DEFAULT_ACCESS_GRANULARITY;

    private SessionRecord stored(String cookie) {
      return sqlite.load(SessionId.parse(cookie).orElseThrow()).orElseThrow();
    }

    @Test
    void aNewSessionIsStoredWithItsTimeoutPlusTheGranularity() {
      String cookie = newSession(Map.of("k", "v"));

      assertThat(stored(cookie).expiryDate())
          .isEqualTo(START.plus(SessionManagerLayer.DEFAULT_EXPIRY).plus(g));
    }

    @Test
    void aReadWithinTheGranularityOfTheLastWriteDoesNotWrite() {
      String cookie = newSession(Map.of("k", "v"));
      at(START.plus(g));

      SessionHandle handle = request(cookie);
      handle.get("k");
      handle.commit(false);

      assertThat(store.calls()).containsExactly("load");
    }

    @Test
    void aReadOnceTheLastWriteIsOlderThanTheGranularityWritesTheAccessTimeAndExpiry() {
      String cookie = newSession(Map.of("k", "v"));
      Instant later = START.plus(g).plusMillis(1);
      at(later);

      SessionHandle handle = request(cookie);
      handle.get("k");
      handle.commit(false);

      assertThat(store.calls()).containsExactly("load", "updateIfUnchanged");
      assertThat(stored(cookie).expiryDate())
          .isEqualTo(later.plus(SessionManagerLayer.DEFAULT_EXPIRY).plus(g));
      assertThat(stored(cookie).lastAccessedAt()).contains(later);
    }

    @Test
    void withAZeroGranularityEveryLaterReadWritesItsAccessTime() {
      layer = layer.toBuilder().accessGranularity(Duration.ZERO).build();
      String cookie = newSession(Map.of("k", "v"));
      Instant later = START.plusMillis(1);
      at(later);

      SessionHandle handle = request(cookie);
      handle.get("k");
      handle.commit(false);

      assertThat(store.calls()).containsExactly("load", "updateIfUnchanged");
      assertThat(stored(cookie).lastAccessedAt()).contains(later);
      assertThat(stored(cookie).expiryDate())
          .isEqualTo(later.plus(SessionManagerLayer.DEFAULT_EXPIRY));
    }
  }

  @Nested
  class AccessTime {

    private final Duration g = SessionManagerLayer.DEFAULT_ACCESS_GRANULARITY;

    @Test
    void settingAnAccessTimeWithinTheGranularityOfTheStoredOneWritesNothing() {
      String cookie = newSession(Map.of("k", "v"));
      at(START.plus(Duration.ofMinutes(1)));

      SessionHandle handle = request(cookie);
      Instant within = START.plus(g).minusMillis(1);
      handle.accessedAt(within);
      handle.commit(false);

      assertThat(store.calls()).containsExactly("load");
      // the request sees what it set; the store keeps the time within the promised precision
      assertThat(handle.lastAccessedTime()).isEqualTo(within);
      assertThat(sqlite.load(SessionId.parse(cookie).orElseThrow()).orElseThrow().lastAccessedAt())
          .contains(START);
    }

    @Test
    void settingAnAccessTimeThatMovesItByTheGranularityWritesItAndTheExpiryThatFollows() {
      String cookie = newSession(Map.of("k", "v"));
      at(START.plus(Duration.ofMinutes(1)));
      Instant moved = START.plus(g);

      SessionHandle handle = request(cookie);
      handle.accessedAt(moved);
      assertThat(handle.lastAccessedTime()).isEqualTo(moved);
      handle.commit(false);

      assertThat(store.calls()).containsExactly("load", "updateIfUnchanged");
      SessionRecord stored = sqlite.load(SessionId.parse(cookie).orElseThrow()).orElseThrow();
      assertThat(stored.lastAccessedAt()).contains(moved);
      assertThat(stored.expiryDate())
          .isEqualTo(moved.plus(SessionManagerLayer.DEFAULT_EXPIRY).plus(g));
    }

    @Test
    void anAccessTimeSetLongAgoLetsTheSessionExpireAsOfThen() {
      String cookie = newSession(Map.of("k", "v"));
      at(START.plus(Duration.ofDays(1)));

      SessionHandle handle = request(cookie);
      handle.accessedAt(START.minus(Duration.ofDays(30)));
      handle.commit(false);

      assertThat(store.calls()).containsExactly("load", "updateIfUnchanged");
      assertThat(sqlite.load(SessionId.parse(cookie).orElseThrow())).isEmpty();
    }

    @Test
    void settingTheAccessTimeWithoutASessionIsAnError() {
      assertThatThrownBy(() -> request().accessedAt(START))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class Rotation {

    @Test
    void rotatingGivesANewIdKeepsTheDataAndRemovesTheOldRow() {
      String cookie = newSession(Map.of("k", "v"));
      SessionId old = SessionId.parse(cookie).orElseThrow();

      SessionHandle handle = request(cookie);
      handle.get("k");
      SessionId rotated = handle.rotateId();
      String issued = handle.commit(false).orElseThrow().value();

      assertThat(issued).isEqualTo(rotated.value()).isNotEqualTo(cookie);
      assertThat(sqlite.load(old)).isEmpty();
      assertThat(sqlite.load(rotated).orElseThrow().data()).containsEntry("k", "v");
    }

    @Test
    void rotatingWithoutASessionIsAnError() {
      assertThatThrownBy(() -> request().rotateId()).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class Invalidation {

    @Test
    void invalidatingDeletesTheRowAndExpiresTheCookie() {
      String cookie = newSession(Map.of("k", "v"));

      SessionHandle handle = request(cookie);
      handle.invalidate();
      SessionCookie expired = handle.commit(false).orElseThrow();

      assertThat(store.calls()).containsExactly("load", "delete");
      assertThat(sqlite.load(SessionId.parse(cookie).orElseThrow())).isEmpty();
      assertThat(expired.toHeaderValue())
          .startsWith("bodhiapp_session_id=;")
          .contains("Max-Age=0", "Path=/", "HttpOnly", "SameSite=Strict");
    }

    @Test
    void aSessionStartedAfterInvalidatingGetsAFreshIdAndCookie() {
      String cookie = newSession(Map.of("k", "v"));

      SessionHandle handle = request(cookie);
      handle.invalidate();
      handle.put("k", "fresh");
      String issued = handle.commit(false).orElseThrow().value();

      assertThat(issued).isNotEqualTo(cookie);
      assertThat(sqlite.load(SessionId.parse(issued).orElseThrow()).orElseThrow().data())
          .containsEntry("k", "fresh");
    }
  }

  @Test
  void aSessionDeletedWhileTheRequestRanIsNotBroughtBack() {
    String cookie = newSession(Map.of("user_id", "alice", "visits", 1));

    SessionHandle handle = request(cookie);
    handle.put("visits", 2);
    // another node logs alice out everywhere before this request ends
    sqlite.clearSessionsForUser("alice");

    // no cookie either: the deletion may be a concurrent rotation whose new cookie must survive
    assertThat(handle.commit(false)).isEmpty();
    assertThat(sqlite.countSessionsForUser("alice")).isZero();
    // the conditional update finds no row at the loaded revision; the locked reload finds it gone
    assertThat(store.calls()).containsExactly("load", "updateIfUnchanged", "modify");
  }

  @Test
  void anErrorResponseWritesNothing() {
    String cookie = newSession(Map.of("k", "v"));

    SessionHandle handle = request(cookie);
    handle.put("k", "changed");
    assertThat(handle.commit(true)).isEmpty();

    assertThat(store.calls()).containsExactly("load");
    assertThat(sqlite.load(SessionId.parse(cookie).orElseThrow()).orElseThrow().data())
        .containsEntry("k", "v");
  }

  @Test
  void aMaxAgeLayerSendsMaxAgeAndResendsTheCookieWhenItWrites() {
    layer = layer.toBuilder().maxAge(Duration.ofMinutes(30)).secure(true).build();
    String cookie = newSession(Map.of("k", "v"));

    SessionHandle handle = request(cookie);
    handle.put("k", "w");
    SessionCookie resent = handle.commit(false).orElseThrow();

    assertThat(resent.value()).isEqualTo(cookie);
    // the Max-Age carries the row's slack too: 30 minutes plus the 5-minute granularity
    assertThat(resent.toHeaderValue()).contains("Max-Age=2100", "Secure");
  }

  @Test
  void toStringOfHandleAndCookieNeverShowsTheId() {
    SessionHandle handle = request();
    handle.put("k", "v");
    SessionCookie cookie = handle.commit(false).orElseThrow();

    assertThat(handle.toString()).doesNotContain(cookie.value());
    assertThat(cookie.toString()).doesNotContain(cookie.value());
  }

  /**
   * How often a handle tries to rotate a session id that other requests keep changing: exactly
   * {@link SessionHandle#MAX_WRITE_ATTEMPTS} times, then a DATABASE error. The conflicts are real:
   * before each of the handle's rotations, another writer changes the row in the same SQLite store,
   * so the store's conditional delete finds a newer revision.
   */
  @Nested
  class RotationBound {
    private ContendedStore contended;
    private SessionManagerLayer contendedLayer;

    @BeforeEach
    void contend() {
      contended = new ContendedStore(sqlite);
      contendedLayer = SessionManagerLayer.builder(contended).clock(clock).build();
    }

    /** Creates a session and starts a request that rotates its id. */
    private SessionHandle rotatingRequest() {
      SessionHandle first = new SessionHandle(contendedLayer, List.of());
      first.put("k", "v");
      String cookie = first.commit(false).orElseThrow().value();
      SessionHandle handle = new SessionHandle(contendedLayer, List.of(cookie));
      handle.get("k");
      handle.rotateId();
      return handle;
    }

    @Test
    void underPersistentConflictTheHandleMakesExactlyTheBoundedNumberOfAttempts() {
      SessionHandle handle = rotatingRequest();
      contended.conflictsLeft = Integer.MAX_VALUE;

      assertThatThrownBy(() -> handle.commit(false))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE))
          .hasMessageContaining("each of " + SessionHandle.MAX_WRITE_ATTEMPTS + " attempts");
      assertThat(contended.rotations).isEqualTo(SessionHandle.MAX_WRITE_ATTEMPTS).isEqualTo(5);
    }

    @Test
    void aConflictOnEveryAttemptButTheLastStillRotates() {
      SessionHandle handle = rotatingRequest();
      contended.conflictsLeft = SessionHandle.MAX_WRITE_ATTEMPTS - 1;

      String issued = handle.commit(false).orElseThrow().value();

      assertThat(contended.rotations).isEqualTo(SessionHandle.MAX_WRITE_ATTEMPTS);
      SessionRecord rotated = sqlite.load(SessionId.parse(issued).orElseThrow()).orElseThrow();
      assertThat(rotated.data())
          .as("the parallel requests' last change survives the merge")
          .containsEntry("parallel", (long) SessionHandle.MAX_WRITE_ATTEMPTS - 1);
    }
  }
}

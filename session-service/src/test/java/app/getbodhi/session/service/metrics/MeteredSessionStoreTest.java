package app.getbodhi.session.service.metrics;

import static app.getbodhi.session.service.metrics.MeteredSessionStore.CLEANUP_DELETED;
import static app.getbodhi.session.service.metrics.MeteredSessionStore.CLEANUP_ROUNDS;
import static app.getbodhi.session.service.metrics.MeteredSessionStore.OPERATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.StoreHealth;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.ForwardingSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metering decorator around a real SQLite store, reading a real (simple) meter registry. */
class MeteredSessionStoreTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(START);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<String> secrets = new ArrayList<>();
  private MeteredSessionStore store;

  @BeforeEach
  void open() {
    SqliteSessionStore sqlite =
        SqliteSessionStore.open(
            "sqlite:" + dir.resolve("s.sqlite"),
            SessionStoreConfig.defaults().withClock(clock).withMaxDataBytes(1024));
    store = new MeteredSessionStore(sqlite, registry);
    store.migrate();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private SessionRecord session(String user, Duration lifetime) {
    SessionRecord record =
        new SessionRecord(SessionId.generate(), Map.of("user_id", user), START.plus(lifetime));
    secrets.add(record.id().value());
    secrets.add(user);
    return record;
  }

  private long count(String operation, String outcome) {
    Timer timer =
        registry
            .find(OPERATIONS)
            .tags("operation", operation, "backend", "sqlite", "outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  @Nested
  class Timing {

    @Test
    void everyStoreOperationIsTimedOnceUnderItsOwnName() {
      SessionRecord alice = session("alice@example.com", Duration.ofHours(1));
      SessionRecord created = store.create(alice);
      store.save(created);
      store.saveAll(List.of(session("bob", Duration.ofHours(1))));
      store.updateIfUnchanged(created);
      store.load(created.id());
      store.countSessionsForUser("alice@example.com");
      store.getSessionsForUser("alice@example.com");
      store.dumpPage(Optional.empty(), 10);
      List<SealedSession> sealed = store.loadSealedPage(Optional.empty(), 10);
      store.saveAllSealed(sealed);
      store.findRefsByPrefix("AAAAAAAA", 10);
      store.delete(store.refOf(created.id()));
      store.delete(created.id());
      store.clearSessionsForUser("bob");
      store.clearAllSessions();
      store.deleteExpired();

      Map<String, Long> byOperation =
          registry.find(OPERATIONS).timers().stream()
              .collect(
                  Collectors.toMap(
                      timer -> timer.getId().getTag("operation"), Timer::count, Long::sum));
      assertThat(byOperation)
          .containsOnlyKeys(
              "migrate",
              "create",
              "save",
              "saveAll",
              "updateIfUnchanged",
              "load",
              "countSessionsForUser",
              "getSessionsForUser",
              "dumpPage",
              "loadSealedPage",
              "saveAllSealed",
              "findRefsByPrefix",
              "deleteRef",
              "delete",
              "clearSessionsForUser",
              "clearAllSessions",
              "deleteExpired")
          .allSatisfy((operation, calls) -> assertThat(calls).as(operation).isEqualTo(1));
      assertThat(registry.find(OPERATIONS).timers())
          .allSatisfy(
              timer -> {
                assertThat(timer.getId().getTag("backend")).isEqualTo("sqlite");
                assertThat(timer.getId().getTag("outcome")).isEqualTo("success");
                assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
                assertThat(timer.getId().getBaseUnit()).isEqualTo("seconds");
              });
    }

    @Test
    void streamsAreTimedPageByPage() {
      for (int i = 0; i < 5; i++) {
        store.save(session("u" + i, Duration.ofHours(1)));
      }

      assertThat(store.streamAllSessions(2)).hasSize(5);
      assertThat(store.streamSealedSessions(2)).hasSize(5);

      assertThat(count("dumpPage", "success")).isEqualTo(3);
      assertThat(count("loadSealedPage", "success")).isEqualTo(3);
    }

    @Test
    void aFailureIsTimedUnderItsKindAndPassesThroughUnchanged() {
      SessionRecord tooLarge =
          new SessionRecord(SessionId.generate(), Map.of("blob", "x".repeat(2048)), START);

      assertThatThrownBy(() -> store.save(tooLarge))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));
      assertThatThrownBy(() -> store.dumpPage(Optional.empty(), 0))
          .isInstanceOf(IllegalArgumentException.class);

      assertThat(count("save", "serialization")).isEqualTo(1);
      assertThat(count("save", "success")).isZero();
      assertThat(count("dumpPage", "invalid_argument")).isEqualTo(1);
    }

    @Test
    void aDatabaseFailureIsTimedAsDatabase() {
      store.close();

      assertThatThrownBy(() -> store.load(SessionId.generate()))
          .isInstanceOf(SessionServiceException.class);

      assertThat(count("load", "database")).isEqualTo(1);
    }

    @Test
    void theHealthCheckIsDelegatedAndNotTimed() {
      StoreHealth health = store.health();

      assertThat(health.up()).isTrue();
      assertThat(health.backend()).isEqualTo("sqlite");
      assertThat(health.schemaVersion()).isPresent();
      assertThat(registry.find(OPERATIONS).tag("operation", "health").timers()).isEmpty();
    }
  }

  @Nested
  class Cleanup {

    @Test
    void aRoundIsCountedWithTheSessionsItDeleted() {
      store.save(session("a", Duration.ofMinutes(1)));
      store.save(session("b", Duration.ofMinutes(2)));
      store.save(session("c", Duration.ofDays(1)));
      clock.set(START.plus(Duration.ofMinutes(3)));

      assertThat(store.deleteExpired()).isEqualTo(2);
      assertThat(store.deleteExpired()).isZero();

      assertThat(registry.get(CLEANUP_ROUNDS).tags("outcome", "success").counter().count())
          .isEqualTo(2);
      assertThat(registry.get(CLEANUP_DELETED).tags("backend", "sqlite").counter().count())
          .isEqualTo(2);
    }

    @Test
    void aFailedRoundIsCountedByItsOutcomeAndDeletesNothing() {
      store.close();

      assertThatThrownBy(store::deleteExpired).isInstanceOf(SessionServiceException.class);

      assertThat(registry.get(CLEANUP_ROUNDS).tags("outcome", "database").counter().count())
          .isEqualTo(1);
      assertThat(registry.get(CLEANUP_DELETED).counter().count()).isZero();
    }
  }

  @Nested
  class Tags {

    @Test
    void noTagEverCarriesASessionIdOrAUserId() {
      SessionRecord alice = store.create(session("alice@example.com", Duration.ofHours(1)));
      secrets.add(alice.id().value());
      store.load(alice.id());
      store.countSessionsForUser("alice@example.com");
      store.clearSessionsForUser("alice@example.com");
      store.delete(SessionId.generate());
      assertThatThrownBy(() -> store.countSessionsForUser(null))
          .isInstanceOf(NullPointerException.class);

      List<Tag> tags =
          registry.getMeters().stream().flatMap(meter -> meter.getId().getTags().stream()).toList();
      assertThat(tags).isNotEmpty();
      assertThat(tags).extracting(Tag::getKey).containsOnly("operation", "backend", "outcome");
      assertThat(tags)
          .extracting(Tag::getValue)
          .allSatisfy(
              value ->
                  assertThat(secrets).noneSatisfy(secret -> assertThat(value).contains(secret)));
      assertThat(registry.getMeters())
          .extracting(Meter::getId)
          .allSatisfy(id -> assertThat(id.getName()).matches("bodhi\\.sessions(\\.[a-z]+)+"));
    }
  }

  @Nested
  class Delegation {

    /**
     * The default methods that need not be overridden: they call methods that are timed. A new
     * store method the forwarding base does not override fails this test, rather than going
     * untimed; {@code ForwardingSessionStoreTest} checks that each one it overrides passes through
     * the hook this decorator times.
     */
    private static final Set<String> COVERED_BY_OTHERS =
        Set.of("streamAllSessions", "streamSealedSessions");

    @Test
    void theDecoratorOverridesEveryStoreMethod() {
      assertThat(MeteredSessionStore.class.getSuperclass()).isEqualTo(ForwardingSessionStore.class);
      List<String> missing = new ArrayList<>();
      for (Method method : ManagedSessionStore.class.getMethods()) {
        if (Modifier.isStatic(method.getModifiers())
            || COVERED_BY_OTHERS.contains(method.getName())) {
          continue;
        }
        try {
          ForwardingSessionStore.class.getDeclaredMethod(
              method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
          missing.add(method.getName() + Arrays.toString(method.getParameterTypes()));
        }
      }

      assertThat(missing)
          .as(
              "store methods MeteredSessionStore (through ForwardingSessionStore) does not delegate")
          .isEmpty();
    }
  }

  @Nested
  class ThroughTheService {

    @Test
    void connectWrapsTheStoreSoTheLayerAndTheCleanerAreMetered() {
      Map<String, String> settings = new HashMap<>();
      settings.put(SettingService.BODHI_HOME, dir.resolve("home").toString());
      settings.put(SettingService.BODHI_SESSION_LIFETIME, "30m");
      settings.put(SettingService.BODHI_SESSION_SECURE_COOKIE, "true");
      settings.put(SettingService.BODHI_SESSION_CLEANUP_INTERVAL, "off");
      SimpleMeterRegistry serviceMetrics = new SimpleMeterRegistry();

      try (DefaultSessionService service =
          DefaultSessionService.connect(
              SettingService.of(settings),
              SessionStoreConfig.defaults(),
              opened -> new MeteredSessionStore(opened, serviceMetrics))) {
        service.sessionLayer().store().load(SessionId.generate());
        service.countSessionsForUser("alice");
        service.getSessionStore().deleteExpired();

        assertThat(service.sessionLayer().expiry()).isEqualTo(Duration.ofMinutes(30));
        assertThat(service.sessionLayer().secure()).isTrue();
        assertThat(service.backend().kind()).isEqualTo("sqlite");
      }

      assertThat(serviceMetrics.get(OPERATIONS).tag("operation", "load").timer().count())
          .isEqualTo(1);
      assertThat(
              serviceMetrics
                  .get(OPERATIONS)
                  .tag("operation", "countSessionsForUser")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(serviceMetrics.get(CLEANUP_ROUNDS).counter().count()).isEqualTo(1);
    }

    @Test
    void aDecoratorThatFailsClosesTheStoreItWasGiven() {
      Map<String, String> settings =
          Map.of(SettingService.BODHI_HOME, dir.resolve("home2").toString());
      List<ManagedSessionStore> given = new ArrayList<>();

      assertThatThrownBy(
              () ->
                  DefaultSessionService.connect(
                      SettingService.of(settings),
                      SessionStoreConfig.defaults(),
                      opened -> {
                        given.add(opened);
                        throw new IllegalStateException("no registry");
                      }))
          .hasMessage("no registry");

      assertThat(given).hasSize(1);
      assertThatThrownBy(() -> given.get(0).load(SessionId.generate()))
          .isInstanceOf(SessionServiceException.class)
          .hasMessageContaining("closed");
    }
  }

  /** A clock the test moves by hand, shared by the store. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}

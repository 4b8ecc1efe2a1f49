package app.getbodhi.session.service;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.tck.MutableClock;
import app.getbodhi.session.web.SessionManagerLayer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpiredSessionCleanerTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private static final Duration TICK = Duration.ofMillis(20);

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at(START);
  private SqliteSessionStore store;

  @BeforeEach
  void open() {
    store = SqliteStores.migrated(dir, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private SessionRecord save(Duration lifetime) {
    SessionRecord record =
        new SessionRecord(SessionId.generate(), Map.of("k", "v"), START.plus(lifetime));
    store.save(record);
    return record;
  }

  @Test
  void aRoundDeletesOnlySessionsExpiredByTheStoreClock() {
    SessionRecord shortLived = save(Duration.ofMinutes(1));
    SessionRecord longLived = save(Duration.ofDays(1));

    try (ExpiredSessionCleaner cleaner = new ExpiredSessionCleaner(store, Duration.ofHours(1))) {
      assertThat(cleaner.runOnce()).isZero();
      clock.set(START.plus(Duration.ofMinutes(2)));
      assertThat(cleaner.runOnce()).isEqualTo(1);
    }
    assertThat(store.streamAllSessions(1000).toList())
        .extracting(s -> s.ref())
        .containsExactly(store.refOf(longLived.id()))
        .doesNotContain(store.refOf(shortLived.id()));
  }

  @Test
  void roundsRunInTheBackgroundEveryPeriod() throws InterruptedException {
    save(Duration.ofMinutes(1));
    save(Duration.ofMinutes(1));
    BlockingQueue<Integer> rounds = new LinkedBlockingQueue<>();
    clock.set(START.plus(Duration.ofMinutes(2)));

    try (ExpiredSessionCleaner cleaner = new ExpiredSessionCleaner(store, TICK, rounds::add)) {
      assertThat(rounds.poll(10, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(rounds.poll(10, TimeUnit.SECONDS)).isZero();
    }
    assertThat(store.streamAllSessions(1000).toList()).isEmpty();
  }

  @Test
  void aFailedRoundIsReportedAndTheNextRoundStillRuns() throws InterruptedException {
    BlockingQueue<Integer> rounds = new LinkedBlockingQueue<>();
    SqliteSessionStore closed =
        SqliteSessionStore.open(
            "sqlite:" + dir.resolve("closed.sqlite"), SessionStoreConfig.defaults());
    closed.close();

    try (ExpiredSessionCleaner cleaner = new ExpiredSessionCleaner(closed, TICK, rounds::add)) {
      assertThat(rounds.poll(10, TimeUnit.SECONDS)).isEqualTo(-1);
      assertThat(rounds.poll(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }
  }

  @Test
  void closeStopsTheDaemonThread() throws InterruptedException {
    BlockingQueue<Integer> rounds = new LinkedBlockingQueue<>();
    ExpiredSessionCleaner cleaner = new ExpiredSessionCleaner(store, TICK, rounds::add);
    assertThat(rounds.poll(10, TimeUnit.SECONDS)).isNotNull();

    cleaner.close();
    rounds.clear();

    assertThat(cleaner.isClosed()).isTrue();
    assertThat(rounds.poll(TICK.toMillis() * 10, TimeUnit.MILLISECONDS)).isNull();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("bodhi-sessions-cleaner") && t.isAlive());
  }

  @Test
  void theServiceCleansByDefaultAndNotWhenTheSettingIsOff() {
    SettingService defaults = SettingService.of(Map.of("BODHI_HOME", dir.toString()));
    try (DefaultSessionService service = DefaultSessionService.connect(defaults)) {
      assertThat(service.cleaner()).isPresent();
    }

    SettingService off =
        SettingService.of(
            Map.of("BODHI_HOME", dir.toString(), "BODHI_SESSION_CLEANUP_INTERVAL", "off"));
    try (DefaultSessionService service = DefaultSessionService.connect(off)) {
      assertThat(service.cleaner()).isEmpty();
    }
  }

  @Test
  void closingTheServiceStopsItsCleaner() {
    SessionStoreBackend backend =
        SessionStoreBackend.of(SqliteSessionStore.open("sqlite:" + dir.resolve("svc.sqlite")));
    DefaultSessionService service =
        new DefaultSessionService(
            backend, SessionManagerLayer.of(backend), Optional.of(Duration.ofHours(1)));
    ExpiredSessionCleaner cleaner = service.cleaner().orElseThrow();

    service.close();

    assertThat(cleaner.isClosed()).isTrue();
  }
}

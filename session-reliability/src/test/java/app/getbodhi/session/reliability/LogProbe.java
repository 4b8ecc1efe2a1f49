package app.getbodhi.session.reliability;

import app.getbodhi.session.MapSettingService;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.ExpiredSessionCleaner;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.web.SessionCookie;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application that uses sessions the usual ways, fails the usual ways, and logs everything it
 * meets as an application would (exceptions with their stack traces), for {@link
 * SecretsInLogsTest}, which runs it in its own JVM with every logger at DEBUG and reads what it
 * logged.
 *
 * <p>Environment: {@code PROBE_URLS} (session database URLs, separated by spaces; a PostgreSQL one
 * carries the password to look for) and {@code PROBE_SECRET} (a value stored in session data).
 * Prints every full session id it handled to stdout as {@code id VALUE}; logs go to stderr.
 */
public final class LogProbe {

  private static final Logger LOG = LoggerFactory.getLogger("app.LogProbe");

  private LogProbe() {}

  public static void main(String[] args) throws Exception {
    String secret = System.getenv("PROBE_SECRET");
    for (String url : System.getenv("PROBE_URLS").split(" ")) {
      probe(url, secret);
    }
    failToConnect(System.getenv("PROBE_URLS").split(" "));
  }

  private static void printId(String id) {
    System.out.println("id " + id);
  }

  private static void probe(String url, String secret) throws Exception {
    SettingService settings =
        new MapSettingService(
            Map.of(
                SettingService.BODHI_SESSION_DB_URL,
                url,
                SettingService.BODHI_SESSION_CLEANUP_INTERVAL,
                "20ms"));
    try (DefaultSessionService service = DefaultSessionService.connect(settings)) {
      SessionManagerLayer layer = service.sessionLayer();
      LOG.info("service {} on {} with layer {}", service, service.backend(), layer);

      // log in, with a secret in the session data
      SessionHandle login = new SessionHandle(layer, List.of());
      login.put(SessionRecord.USER_ID_KEY, "alice");
      login.put("api_token", secret);
      SessionCookie cookie = login.commit(false).orElseThrow();
      printId(cookie.value());
      LOG.info("issued {} for {}; handle {}", cookie, cookie.toHeaderValue().length(), login);
      SessionId id = SessionId.parse(cookie.value()).orElseThrow();
      SessionRecord record = service.getSessionStore().load(id).orElseThrow();
      LOG.info("loaded {} as {}", id, record);

      // rotate the id at a privilege change
      SessionHandle elevate = new SessionHandle(layer, List.of(cookie.value()));
      SessionId rotated = elevate.rotateId();
      printId(rotated.value());
      SessionCookie rotatedCookie = elevate.commit(false).orElseThrow();
      printId(rotatedCookie.value());
      LOG.info("rotated to {}", rotatedCookie);

      // a forged but well-formed id, and a value that is not JSON
      String forged = SessionId.generate().value();
      printId(forged);
      SessionHandle forgedRequest = new SessionHandle(layer, List.of(forged));
      try {
        forgedRequest.put("bad", new Object());
      } catch (RuntimeException e) {
        LOG.warn("request failed", e);
      }
      forgedRequest.put("cart", secret);
      SessionCookie forgedAnswer = forgedRequest.commit(false).orElseThrow();
      printId(forgedAnswer.value());

      // data over the size limit, through the layer
      SessionHandle tooBig = new SessionHandle(layer, List.of(rotatedCookie.value()));
      tooBig.put("blob", secret + "x".repeat(SessionStoreConfig.DEFAULT_MAX_DATA_BYTES));
      try {
        tooBig.commit(false);
      } catch (RuntimeException e) {
        LOG.warn("request failed", e);
      }

      // expired sessions for the background cleaner, which logs what it deleted
      for (int i = 0; i < 5; i++) {
        SessionRecord expired =
            new SessionRecord(
                SessionId.generate(),
                Map.of(SessionRecord.USER_ID_KEY, "bob", "token", secret),
                Instant.now().minusSeconds(1));
        printId(expired.id().value());
        service.getSessionStore().save(expired);
      }

      // log out everywhere while a request is in flight, then invalidate
      SessionHandle inFlight = new SessionHandle(layer, List.of(rotatedCookie.value()));
      inFlight.put("visits", 2L);
      LOG.info("cleared {} sessions of alice", service.clearSessionsForUser("alice"));
      LOG.info("in-flight answer {}", inFlight.commit(false));
      SessionHandle logout = new SessionHandle(layer, List.of(forgedAnswer.value()));
      logout.invalidate();
      LOG.info("logout answer {}", logout.commit(false));
    }

    // a closed store: every call fails, and a cleaner on it logs its failed round
    SessionStoreBackend closed = SessionStoreBackend.connect(url);
    SessionRecord orphan =
        new SessionRecord(
            SessionId.generate(), Map.of("token", secret), Instant.now().plusSeconds(60));
    printId(orphan.id().value());
    closed.save(orphan);
    closed.close();
    try {
      closed.load(orphan.id());
    } catch (RuntimeException e) {
      LOG.warn("load failed", e);
    }
    try {
      closed.save(orphan);
    } catch (RuntimeException e) {
      LOG.warn("save failed", e);
    }
    CountDownLatch rounds = new CountDownLatch(2);
    try (ExpiredSessionCleaner cleaner =
        new ExpiredSessionCleaner(new RoundCountingStore(closed, rounds), Duration.ofMillis(20))) {
      if (!rounds.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the cleaner did not run");
      }
      LOG.info("cleaner {}", cleaner);
    }
  }

  /** Connection failures with the right password: a closed port and a missing database. */
  private static void failToConnect(String[] urls) {
    for (String url : urls) {
      if (!url.startsWith("postgres")) {
        continue;
      }
      String closedPort = url.replaceFirst("@[^/]+/", "@127.0.0.1:1/");
      String missingDatabase = url.replaceFirst("/([^/?]+)(\\?|$)", "/no_such_database$2");
      for (String bad : List.of(closedPort, missingDatabase)) {
        try {
          SessionStoreBackend.connect(
                  bad, SessionStoreConfig.defaults().withConnectionTimeout(Duration.ofMillis(500)))
              .close();
          throw new IllegalStateException("connected to a bad URL");
        } catch (RuntimeException e) {
          LOG.error("could not start", e);
        }
      }
    }
  }
}

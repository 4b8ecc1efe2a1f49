package app.getbodhi.session.reliability;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.MapSettingService;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.Concurrently;
import app.getbodhi.session.tck.MutableClock;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.web.SessionCookie;
import app.getbodhi.session.web.SessionHandle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
 * Two application nodes on one database, each a {@link DefaultSessionService} with its own pool,
 * connected in cluster mode as production nodes are: in one JVM, and as separate JVM processes
 * ({@link ClusterNode}). Once on each backend nodes can share.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(ClusterBackend.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TwoNodeClusterTest {

  private static final Instant START = Instant.parse("2031-03-01T12:00:00Z");

  @Parameter ClusterBackend backend;

  private TestDatabase database;
  private final MutableClock clock = MutableClock.at(START);
  private final List<DefaultSessionService> nodes = new ArrayList<>();

  @BeforeEach
  void createDatabase() {
    database = backend.freshDatabase();
  }

  @AfterEach
  void stopNodes() {
    database.closeAfter(nodes);
  }

  private Map<String, String> clusterSettings(String cleanupInterval) {
    // cluster mode needs the same server secret on every node
    return Map.of(
        SettingService.BODHI_SESSION_DB_URL,
        database.url(),
        SettingService.BODHI_DEPLOYMENT,
        "cluster",
        SettingService.BODHI_SESSION_CLEANUP_INTERVAL,
        cleanupInterval,
        SettingService.BODHI_SESSION_SECRET,
        "q2Fx0cR0n3l9mZ8QkqU3zF1rW5pYb7tE4vN6sH2jL0A=");
  }

  private DefaultSessionService startNode(String cleanupInterval, SessionStoreConfig config) {
    DefaultSessionService node =
        DefaultSessionService.connect(
            new MapSettingService(clusterSettings(cleanupInterval)), config.withClock(clock));
    nodes.add(node);
    return node;
  }

  private DefaultSessionService startNode() {
    return startNode("off", SessionStoreConfig.defaults().withMaximumPoolSize(4));
  }

  private static SessionRecord session(String user, Instant expiry) {
    Map<String, Object> data = new HashMap<>();
    data.put(SessionRecord.USER_ID_KEY, user);
    data.put("cart", List.of("book", 2L));
    return new SessionRecord(SessionId.generate(), data, expiry);
  }

  /** A request on a node that sets one value and returns the cookie the node sends back. */
  private static String request(
      DefaultSessionService node, String cookie, String key, Object value) {
    SessionHandle handle =
        new SessionHandle(node.sessionLayer(), cookie == null ? List.of() : List.of(cookie));
    handle.put(key, value);
    return handle.commit(false).map(SessionCookie::value).orElse(cookie);
  }

  @Nested
  class InOneJvm {

    @Test
    void a_session_started_through_one_node_is_read_and_changed_through_the_other() {
      DefaultSessionService a = startNode();
      DefaultSessionService b = startNode();

      String cookie = request(a, null, SessionRecord.USER_ID_KEY, "alice");
      SessionHandle onB = new SessionHandle(b.sessionLayer(), List.of(cookie));
      assertThat(onB.get(SessionRecord.USER_ID_KEY)).contains("alice");
      onB.put("theme", "dark");
      onB.commit(false);

      SessionId id = SessionId.parse(cookie).orElseThrow();
      assertThat(a.getSessionStore().load(id).orElseThrow().data())
          .containsEntry("theme", "dark")
          .containsEntry(SessionRecord.USER_ID_KEY, "alice");
      assertThat(a.countSessionsForUser("alice")).isEqualTo(1);
      assertThat(b.countSessionsForUser("alice")).isEqualTo(1);
    }

    @Test
    void logging_a_user_out_everywhere_on_one_node_is_seen_by_the_other_at_once_and_not_undone()
        throws Exception {
      DefaultSessionService a = startNode();
      DefaultSessionService b = startNode();
      String laptop = request(a, null, SessionRecord.USER_ID_KEY, "alice");
      String phone = request(b, null, SessionRecord.USER_ID_KEY, "alice");
      String bob = request(b, null, SessionRecord.USER_ID_KEY, "bob");
      // a request on b that loaded alice's session before the logout and commits after it
      SessionHandle inFlight = new SessionHandle(b.sessionLayer(), List.of(phone));
      assertThat(inFlight.exists()).isTrue();

      assertThat(a.clearSessionsForUser("alice")).isEqualTo(2);

      for (String cookie : List.of(laptop, phone)) {
        SessionId id = SessionId.parse(cookie).orElseThrow();
        assertThat(b.getSessionStore().load(id)).as("seen on the other node").isEmpty();
        assertThat(new SessionHandle(b.sessionLayer(), List.of(cookie)).exists()).isFalse();
      }
      assertThat(b.countSessionsForUser("alice")).isZero();
      inFlight.put("visits", 2L);
      assertThat(inFlight.commit(false).map(SessionCookie::value).filter(v -> !v.isEmpty()))
          .as("the in-flight request issues no session cookie")
          .isEmpty();
      assertThat(a.getSessionStore().load(SessionId.parse(phone).orElseThrow()))
          .as("the in-flight request did not bring the session back")
          .isEmpty();
      assertThat(a.countSessionsForUser("bob")).isEqualTo(1);
      assertThat(b.getSessionStore().load(SessionId.parse(bob).orElseThrow())).isPresent();
    }

    @Test
    void both_nodes_cleaning_at_once_delete_every_expired_session_exactly_once_between_them()
        throws Exception {
      SessionStoreConfig smallBatches = SessionStoreConfig.defaults().withDeleteBatchSize(25);
      DefaultSessionService a = startNode("off", smallBatches);
      DefaultSessionService b = startNode("off", smallBatches);
      List<SessionRecord> live = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        SessionRecord record =
            session("user-" + (i % 7), START.plus(Duration.ofMinutes(i < 500 ? 10 : 120)));
        (i % 2 == 0 ? a : b).getSessionStore().save(record);
        if (i >= 500) {
          live.add(record);
        }
      }
      clock.advance(Duration.ofMinutes(30));

      List<Callable<Integer>> rounds = new ArrayList<>();
      for (DefaultSessionService node : List.of(a, b, a, b)) {
        rounds.add(() -> node.backend().deleteExpired());
      }
      List<Integer> deleted = Concurrently.runAtOnce(rounds);

      assertThat(deleted.stream().mapToInt(Integer::intValue).sum())
          .as("deleted per round %s", deleted)
          .isEqualTo(500);
      assertThat(database.sessionRowCount()).isEqualTo(100);
      for (SessionRecord record : live) {
        assertThat(content(b.getSessionStore().load(record.id()))).contains(content(record));
      }
    }

    @Test
    void the_background_cleaners_of_both_nodes_remove_expired_sessions_without_a_failed_round()
        throws Exception {
      PrintStream originalErr = System.err;
      ByteArrayOutputStream logged = new ByteArrayOutputStream();
      System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
      try {
        DefaultSessionService a =
            startNode("50ms", SessionStoreConfig.defaults().withDeleteBatchSize(10));
        DefaultSessionService b =
            startNode("50ms", SessionStoreConfig.defaults().withDeleteBatchSize(10));
        assertThat(a.cleaner()).isPresent();
        assertThat(b.cleaner()).isPresent();
        SessionRecord keeper = session("keeper", START.plus(Duration.ofDays(1)));
        a.getSessionStore().save(keeper);
        for (int wave = 1; wave <= 3; wave++) {
          for (int i = 0; i < 100; i++) {
            (i % 2 == 0 ? a : b)
                .getSessionStore()
                .save(session("wave-" + wave, clock.instant().plusSeconds(60)));
          }
          clock.advance(Duration.ofMinutes(2));
          assertThat(Calls.waitUntil(Duration.ofSeconds(20), () -> database.sessionRowCount() == 1))
              .as("wave %d cleaned by the background cleaners", wave)
              .isPresent();
        }
        assertThat(content(a.getSessionStore().load(keeper.id()))).contains(content(keeper));
      } finally {
        System.setErr(originalErr);
      }
      assertThat(logged.toString(StandardCharsets.UTF_8))
          .as("warnings logged while both nodes cleaned")
          .doesNotContain("Could not delete expired sessions");
    }
  }

  @Nested
  class AcrossProcesses {

    private ChildJvm.Output runNode(String... commands) throws Exception {
      Map<String, String> environment = new HashMap<>(clusterSettings("off"));
      ChildJvm.Output output = ChildJvm.run(ClusterNode.class, environment, List.of(), commands);
      assertThat(output.exitCode())
          .as("node output: %s\n%s", output.stdout(), output.stderr())
          .isZero();
      return output;
    }

    @Test
    void a_node_in_another_jvm_reads_what_this_one_wrote_and_its_writes_and_logouts_are_seen_here()
        throws Exception {
      // the other process runs on the real clock; so does this node here
      clock.set(Instant.now());
      DefaultSessionService here = startNode();
      SessionRecord alice = session("alice", Instant.now().plusSeconds(3600));
      here.getSessionStore().save(alice);
      SessionId bobsId = SessionId.generate();

      ChildJvm.Output other =
          runNode(
              "load",
              alice.id().value(),
              "save",
              bobsId.value(),
              "bob",
              "theme",
              "dark",
              "count",
              "alice",
              "clear",
              "alice");

      assertThat(other.stdout())
          .containsExactly(
              "load " + alice.id().value() + " present {cart=[book, 2], user_id=alice}",
              "saved " + bobsId.value(),
              "count alice 1",
              "clear alice 1");
      assertThat(here.getSessionStore().load(alice.id()))
          .as("logged out by the other process")
          .isEmpty();
      assertThat(here.countSessionsForUser("alice")).isZero();
      assertThat(here.getSessionStore().load(bobsId).orElseThrow().data())
          .isEqualTo(Map.of(SessionRecord.USER_ID_KEY, "bob", "theme", "dark"));

      assertThat(here.clearSessionsForUser("bob")).isEqualTo(1);
      assertThat(runNode("load", bobsId.value(), "count", "bob").stdout())
          .as("this process's logout, seen by a new process")
          .containsExactly("load " + bobsId.value() + " absent", "count bob 0");
    }
  }
}

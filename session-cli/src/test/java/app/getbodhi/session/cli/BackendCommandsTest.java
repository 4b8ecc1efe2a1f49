package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.tck.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sessions copy} between any two backends, and {@code migrate} and {@code doctor} on each
 * backend nodes share, each test in fresh databases on the fixtures' servers (embedded, or {@code
 * BODHI_TEST_PG_URL} and {@code BODHI_TEST_MARIADB_URL}). What is particular to one backend (the
 * URL spellings of one server, another schema of one PostgreSQL database, two demo servers on it)
 * is in {@link PostgresCommandsTest}.
 *
 * <p>What the output shows of a URL is checked against the URL the test passed: its password, when
 * it has one, never appears after the user name; the redacted form does.
 */
class BackendCommandsTest {

  @TempDir Path home;

  private Cli cli;
  private final List<TestDatabase> databases = new ArrayList<>();

  @BeforeEach
  void commandLine() {
    cli = Cli.withHome(home);
  }

  @AfterEach
  void dropDatabases() {
    databases.forEach(TestDatabase::close);
  }

  private String freshUrl(ServerBackend backend) {
    TestDatabase database = backend.freshDatabase(home);
    databases.add(database);
    return database.url();
  }

  /** Every ordered pair of two different backends: six directions. */
  static Stream<Arguments> directions() {
    List<Arguments> pairs = new ArrayList<>();
    for (ServerBackend from : ServerBackend.values()) {
      for (ServerBackend to : ServerBackend.values()) {
        if (from != to) {
          pairs.add(Arguments.of(from, to));
        }
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("directions")
  void copyMovesTheLiveSessionsWithTheirLifecycleAndLeavesTheExpiredOnes(
      ServerBackend from, ServerBackend to) {
    String source = freshUrl(from);
    String target = freshUrl(to);
    List<SessionRecord> live =
        Stores.seed(
            source,
            Stores.withLifecycle(Stores.live("alice")),
            Stores.live("alice"),
            Stores.live(null));
    List<SessionRecord> expired = Stores.seed(source, Stores.expired("bob"));

    Cli.Run run = cli.run("sessions", "copy", "--db-url", source, "--to", target);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains(
            "Copied 3 sessions from "
                + from.backendName()
                + " at "
                + DatabaseUrls.redact(source)
                + " to "
                + to.backendName()
                + " at "
                + DatabaseUrls.redact(target));
    assertPasswordHidden(run.out() + run.err(), source, target);
    // no one is logged out or given a fresh timeout: the lifecycle crosses backends as stored
    assertThat(Stores.load(target, live)).containsExactlyElementsOf(Stores.load(source, live));
    assertThat(Stores.content(Stores.load(target, live)))
        .containsExactlyElementsOf(Stores.content(live));
    assertThat(Stores.load(target, expired)).isEmpty();
    assertThat(Stores.stored(target)).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(names = {"POSTGRES", "MARIADB"})
  void migrateThenDoctorInClusterModeShowTheSchemaAndCountsWithThePasswordHidden(
      ServerBackend backend) {
    String url = freshUrl(backend);
    Cli cluster =
        cli.with(SettingService.BODHI_DEPLOYMENT, "cluster")
            .with(SettingService.BODHI_SESSION_DB_URL, url)
            .with(SettingService.BODHI_SESSION_SECRET, SettingsParityTest.SECRET);

    Cli.Run migrate = cluster.run("migrate");
    Stores.seed(url, Stores.live("alice"), Stores.expired("bob"));
    Cli.Run doctor = cluster.run("doctor");

    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    assertThat(migrate.out())
        .containsPattern(
            "^Created the session schema \\(version \\d+\\) in the " + backend.backendName());
    assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
    assertThat(doctor.out())
        .containsPattern("BODHI_DEPLOYMENT +cluster")
        .containsPattern("backend +" + backend.backendName())
        .containsPattern("database +ok")
        .containsPattern("schema version +\\d+")
        .containsPattern("sessions +2 stored: 1 live, 1 expired; 1 user logged in")
        .contains("No problems found.");
    if (backend == ServerBackend.POSTGRES) {
      // the host that answered, as the URL names it, and its role
      assertThat(doctor.out()).containsPattern("server +\\S+:\\d+ \\(primary\\)");
    }
    assertPasswordHidden(migrate.out() + doctor.out(), url);
  }

  @ParameterizedTest
  @EnumSource(names = {"POSTGRES", "MARIADB"})
  void migrateSealsALegacyTableSaysHowManyAndAdvisesRebuildingIt(ServerBackend backend) {
    SessionId first = SessionId.generate();
    SessionId second = SessionId.generate();
    Instant expiry = Instant.now().plus(Duration.ofDays(1));
    TestDatabase legacy = backend.freshDatabase(home);
    databases.add(legacy);
    // the table as releases before sealing kept it: raw ids as keys, plain JSON
    legacy.createLegacySessionTable(first, "{\"user_id\":\"alice\"}", expiry);
    legacy.insertSessionRow(second, "{\"visits\":3}".getBytes(StandardCharsets.UTF_8), expiry);

    Cli.Run run = cli.run("migrate", "--db-url", legacy.url());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("Sealed 2 sessions stored before sealing existed.")
        // the old row versions, plaintext, stay on disk until the table is rebuilt
        .contains(
            backend == ServerBackend.POSTGRES
                ? "VACUUM FULL bodhi_sessions"
                : "OPTIMIZE TABLE bodhi_sessions");
    try (SessionStoreBackend store = SessionStoreBackend.connect(legacy.url())) {
      assertThat(store.load(first))
          .hasValueSatisfying(r -> assertThat(r.data()).containsEntry("user_id", "alice"));
      assertThat(store.load(second))
          .hasValueSatisfying(r -> assertThat(r.data()).containsEntry("visits", 3L));
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"POSTGRES", "MARIADB"})
  void doctorSaysWhenTheDatabaseHasNoSessionTableYet(ServerBackend backend) {
    String url = freshUrl(backend);

    Cli.Run doctor = cli.run("doctor", "--db-url", url);

    assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
    assertThat(doctor.out()).containsPattern("schema version +none yet");
    assertPasswordHidden(doctor.out(), url);
  }

  /**
   * Asserts that no URL's password appears where a URL would show it, after its user name; a URL
   * without a password has nothing to hide.
   */
  private static void assertPasswordHidden(String output, String... urls) {
    for (String url : urls) {
      String userInfo = URI.create(url.replaceFirst("^jdbc:", "")).getRawUserInfo();
      if (userInfo != null && userInfo.contains(":")) {
        assertThat(output).doesNotContain(userInfo + "@").contains(DatabaseUrls.redact(url));
      }
    }
  }
}

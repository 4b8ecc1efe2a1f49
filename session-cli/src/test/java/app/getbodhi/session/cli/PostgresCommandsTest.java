package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against PostgreSQL: the fixture's server ({@link PostgresFixture}: embedded, or
 * {@value PostgresFixture#URL_ENV}), a fresh database per test, owned by a role of the class's own.
 * Covers the standalone-to-cluster copy and two demo servers sharing sessions through one database;
 * what holds on every backend is in {@link BackendCommandsTest}.
 *
 * <p>The role, not the server's user, is what the commands connect as: the server's credentials are
 * whatever the fixture was given (the compose database's password is its user's name, which every
 * redacted URL shows), while the role's password is the test's, distinctive enough that its absence
 * from the output means it was hidden. What the output shows of a URL comes from the test's URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCommandsTest {

  private final AtomicInteger databases = new AtomicInteger();
  private final List<String> created = new ArrayList<>();
  private PostgresFixture server;
  private String run;
  private String user;
  private String password;
  private String host;
  private int port;

  @TempDir Path home;

  private Cli cli;
  private String pgUrl;

  @BeforeAll
  void startPostgres() {
    server = PostgresFixture.shared(PgSessionStore::dataSource);
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    // unique per run: a given server keeps what an earlier run left if it was killed
    run = HexFormat.of().formatHex(random);
    user = "cli_test_" + run;
    password = "s3cret-" + run;
    server.executeAdmin("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
    URI jdbc = URI.create(server.jdbcUrl().substring("jdbc:".length()));
    host = jdbc.getHost();
    port = jdbc.getPort();
  }

  @AfterAll
  void dropDatabasesAndRole() {
    for (String name : created) {
      server.executeAdmin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
    server.executeAdmin("DROP ROLE IF EXISTS " + user);
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    String name = "cli_test_" + run + "_" + databases.incrementAndGet();
    server.executeAdmin("CREATE DATABASE " + name + " OWNER " + user);
    created.add(name);
    // the libpq form users write, with a password that must never be shown
    String serverUrl = server.urlAs(user, password);
    pgUrl = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + name;
    cli = Cli.withHome(home);
  }

  /** A connection to this test's database, as the commands make one, to look behind them. */
  private Connection testDatabase() throws SQLException {
    String jdbc = server.jdbcUrl();
    return DriverManager.getConnection(
        jdbc.substring(0, jdbc.lastIndexOf('/')) + pgUrl.substring(pgUrl.lastIndexOf('/')),
        user,
        password);
  }

  /** What a redacted {@link #pgUrl} shows before the port: the user, no password, the host. */
  private String redactedUserAndHost() {
    return user + ":***@" + host;
  }

  @Nested
  class Copy {

    /**
     * The move from a standalone node to a cluster: the default SQLite store, named by no option,
     * into PostgreSQL. What crosses and what stays behind, between any two backends, is {@link
     * BackendCommandsTest}'s; here, that the cluster reads what was copied.
     */
    @Test
    void movesTheStandaloneSqliteSessionsIntoPostgresWhereTheClusterStillFindsThem() {
      String sqlite = cli.defaultUrl();
      Stores.seed(sqlite, Stores.live("alice"), Stores.live("alice"));

      Cli.Run run = cli.run("sessions", "copy", "--to", pgUrl);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out())
          .contains("Copied 2 sessions from sqlite at " + sqlite + " to postgres at ")
          .contains(redactedUserAndHost())
          .doesNotContain(password);
      // the cluster turns a secret on, keeping the sessions stored without one: previous=none
      Cli cluster =
          cli.with(SettingService.BODHI_DEPLOYMENT, "cluster")
              .with(SettingService.BODHI_SESSION_DB_URL, pgUrl)
              .with(SettingService.BODHI_SESSION_SECRET, SettingsParityTest.SECRET)
              .with(SettingService.BODHI_SESSION_SECRET_PREVIOUS, "none");
      assertThat(cluster.run("sessions", "count", "--user", "alice").out().strip()).isEqualTo("2");
    }

    @Test
    void movesSessionsSealedUnderASecretWithoutItAndTheyOpenWhereTheSameSecretIsSet() {
      byte[] key = new byte[SessionSecret.RECOMMENDED_BYTES];
      new SecureRandom().nextBytes(key);
      SessionStoreConfig withSecret =
          SessionStoreConfig.defaults().withSecret(SessionSecret.of(key));
      String sqlite = cli.defaultUrl();
      List<SessionRecord> live = Stores.seed(sqlite, withSecret, Stores.live("alice"));

      // no BODHI_SESSION_SECRET for the copy: rows move sealed, so it needs no key
      Cli.Run run = cli.run("sessions", "copy", "--to", pgUrl);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("Copied 1 session from sqlite");
      // the cookie's id opens its session on servers with the source's secret
      assertThat(Stores.content(Stores.load(pgUrl, withSecret, live)))
          .containsExactlyElementsOf(live);
      // and nothing on servers without it: the keys come from the id and the secret together
      assertThat(Stores.load(pgUrl, live)).isEmpty();
    }

    @Test
    void isSafeToRunTwice() {
      List<SessionRecord> live = Stores.seed(cli.defaultUrl(), Stores.live("alice"));

      assertThat(cli.run("sessions", "copy", "--to", pgUrl).exitCode()).isZero();
      Cli.Run again = cli.run("sessions", "copy", "--to", pgUrl);

      assertThat(again.exitCode()).as(again.toString()).isZero();
      assertThat(Stores.stored(pgUrl)).isOne();
      assertThat(Stores.content(Stores.load(pgUrl, live))).containsExactlyElementsOf(live);
    }

    @Test
    void refusesThePostgresSourceHoweverItsUrlIsSpelled() {
      Stores.seed(pgUrl, Stores.live("alice"));
      String database = pgUrl.substring(pgUrl.lastIndexOf('/') + 1);
      // the loopback's other name where the server is on it; a remote server has only its own
      String otherHost = "localhost".equals(host) ? "127.0.0.1" : host;
      String upperHost = host.toUpperCase(Locale.ROOT);
      List<String> spellings =
          List.of(
              "postgresql://other:pw@" + otherHost + ":" + port + "/" + database,
              "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=" + user,
              "postgres://"
                  + user
                  + "@"
                  + upperHost
                  + ":"
                  + port
                  + "/"
                  + database
                  + "?currentSchema=public");

      for (String spelling : spellings) {
        Cli.Run run = cli.run("sessions", "copy", "--db-url", pgUrl, "--to", spelling);

        assertThat(run.exitCode()).as(spelling).isEqualTo(BodhiSessions.EXIT_FAILURE);
        assertThat(run.err())
            .as(spelling)
            .contains("--to names the source store itself")
            .doesNotContain(password)
            .hasLineCount(1);
      }
    }

    @Test
    void copiesIntoAnotherSchemaOfTheSameDatabase() throws Exception {
      List<SessionRecord> live = Stores.seed(pgUrl, Stores.live("alice"));
      try (Connection connection = testDatabase();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA other");
      }
      String target = pgUrl + "?currentSchema=other";

      Cli.Run run = cli.run("sessions", "copy", "--db-url", pgUrl, "--to", target);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(Stores.content(Stores.load(target, live))).containsExactlyElementsOf(live);
    }
  }

  @Nested
  class AdminOnPostgres {

    @Test
    void migrateAdvisesNothingWhenThereWasNothingToSeal() {
      Cli.Run first = cli.run("migrate", "--db-url", pgUrl);
      Stores.seed(pgUrl, Stores.live("alice"));
      Cli.Run again = cli.run("migrate", "--db-url", pgUrl);

      assertThat(first.out().lines()).as(first.toString()).hasSize(1);
      assertThat(again.out().lines()).as(again.toString()).hasSize(1);
      assertThat(first.out() + again.out()).doesNotContain("Sealed", "VACUUM");
    }

    @Test
    void readOnlyCommandsCreateNoTableInADatabaseThatHasNone() throws Exception {
      Cli.Run count = cli.run("sessions", "count", "--user", "alice", "--db-url", pgUrl);
      Cli.Run dump = cli.run("sessions", "dump", "--db-url", pgUrl);

      count
          .failedWithOneLine(BodhiSessions.EXIT_FAILURE)
          .contains(
              "The postgres session database at postgres://" + redactedUserAndHost() + ":" + port)
          .contains("has no session table yet. Create it with 'bodhi-sessions migrate'")
          .doesNotContain(password);
      assertThat(dump.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      try (Connection connection = testDatabase();
          Statement statement = connection.createStatement();
          java.sql.ResultSet rows =
              statement.executeQuery(
                  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
        rows.next();
        assertThat(rows.getInt(1)).isZero();
      }
    }

    @Test
    void doctorReportsADatabaseThatDoesNotExist() {
      String missing = pgUrl.substring(0, pgUrl.lastIndexOf('/')) + "/no_such_db";

      Cli.Run run = cli.run("doctor", "--db-url", missing);

      assertThat(run.exitCode()).isEqualTo(BodhiSessions.EXIT_FAILURE);
      assertThat(run.out())
          .contains("does not exist", "CREATE DATABASE")
          .doesNotContain("No problems found.", password);
    }

    @Test
    void revokeDeletesTheOneSessionAPrefixNamesOnPostgres() {
      List<SessionRecord> alice = Stores.seed(pgUrl, Stores.live("alice"), Stores.live("alice"));
      String ref = Stores.ref(pgUrl, alice.get(0));

      Cli.Run run = cli.run("sessions", "revoke", ref.substring(0, 10), "--db-url", pgUrl);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out().strip()).isEqualTo("Revoked session " + ref);
      assertThat(Stores.load(pgUrl, alice))
          .extracting(SessionRecord::id)
          .containsExactly(alice.get(1).id());
    }

    @Test
    void clearAndPurgeWorkOnPostgres() {
      Stores.seed(pgUrl, Stores.live("alice"), Stores.live("alice"), Stores.expired("bob"));

      Cli.Run purge = cli.run("sessions", "purge-expired", "--db-url", pgUrl);
      Cli.Run clear = cli.run("sessions", "clear", "--user", "alice", "--yes", "--db-url", pgUrl);

      assertThat(purge.out()).contains("Deleted 1 expired session.");
      assertThat(clear.out()).contains("Deleted 2 sessions of user 'alice'.");
      assertThat(Stores.stored(pgUrl)).isZero();
    }
  }

  @Nested
  class TwoServersOnePostgres {

    @Test
    void shareSessionsAndLogoutEverywhereOnOneLogsTheUserOutOnTheOther() throws Exception {
      SettingService settings =
          SettingService.of(
              Map.of(
                  SettingService.BODHI_DEPLOYMENT,
                  "cluster",
                  SettingService.BODHI_SESSION_DB_URL,
                  pgUrl,
                  SettingService.BODHI_SESSION_SECRET,
                  SettingsParityTest.SECRET));
      try (DefaultSessionService serviceA = DefaultSessionService.connect(settings);
          DefaultSessionService serviceB = DefaultSessionService.connect(settings);
          DemoServer nodeA = DemoServer.start(serviceA, "127.0.0.1", 0, Duration.ZERO);
          DemoServer nodeB = DemoServer.start(serviceB, "127.0.0.1", 0, Duration.ZERO)) {
        WebClient onA = new WebClient(nodeA.address());
        onA.login("alice");
        // the same browser reaching the other node, as behind a load balancer
        WebClient sameBrowserOnB = new WebClient(nodeB.address());
        sameBrowserOnB.useCookie(onA.cookie().orElseThrow());
        WebClient otherBrowserOnB = new WebClient(nodeB.address());
        otherBrowserOnB.login("alice");

        assertThat(sameBrowserOnB.get("/api/me").body()).contains("\"user\":\"alice\"");
        assertThat(onA.get("/api/me").body()).contains("\"sessions\":2");

        otherBrowserOnB.post("/logout-everywhere");

        assertThat(onA.get("/api/me").body()).contains("\"user\":null");
        assertThat(sameBrowserOnB.get("/api/me").body()).contains("\"user\":null");
      }
    }
  }
}

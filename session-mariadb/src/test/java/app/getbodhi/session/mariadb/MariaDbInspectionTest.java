package app.getbodhi.session.mariadb;

import static app.getbodhi.session.tck.Inspections.assertUnreadable;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.mariadb.internal.MariaDbInspector;
import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.mariadb.testing.MariaDbServer;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import app.getbodhi.session.spi.StoreInspection.SessionCounts;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB provider's read-only look, against the fixture's server: what it reports, that it
 * creates nothing, and that a server it cannot use is a problem rather than an exception.
 */
class MariaDbInspectionTest {

  private final SessionStoreProvider provider = new MariaDbSessionStoreProvider();
  private MariaDbDatabase database;

  @BeforeEach
  void freshDatabase() {
    database = MariaDbFixture.freshDatabase();
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  private static SessionRecord session(String user, Instant expiry) {
    return new SessionRecord(SessionId.generate(), Map.of("user_id", user), expiry);
  }

  @Test
  void aMigratedDatabaseShowsItsVersionAndTheLiveAndExpiredSessions() {
    Instant now = Instant.now();
    try (MariaDbSessionStore store = MariaDbSessionStore.connect(database.url())) {
      store.migrate();
      store.save(session("alice", now.plus(Duration.ofDays(1))));
      store.save(session("bob", now.plus(Duration.ofDays(1))));
      store.save(session("bob", now.minus(Duration.ofMinutes(1))));
    }

    StoreInspection inspection = provider.inspect(database.url());

    assertThat(inspection.backend()).isEqualTo("mariadb");
    assertThat(inspection.problems()).isEmpty();
    assertThat(inspection.database()).isEqualTo(Database.FOUND);
    assertThat(inspection.schemaVersion()).hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
    assertThat(inspection.sessions()).contains(new SessionCounts(2, 1, 2));
  }

  @Test
  void anEmptyDatabaseIsFoundNotMigratedAndLeftEmpty() {
    StoreInspection inspection = provider.inspect(database.url());

    // the problems first: when there are any, they say why the database was not found
    assertThat(inspection.problems()).isEmpty();
    assertThat(inspection.database()).isEqualTo(Database.FOUND);
    assertThat(inspection.migrated()).isFalse();
    assertThat(database.tableNames()).isEmpty();
  }

  @Test
  void aDatabaseThatDoesNotExistIsAProblemNamingTheFix() {
    // a t_ name: the compose server's test user may use those, so the server says it is missing
    String url = MariaDbServer.shared().urlFor(database.name() + "_missing");

    StoreInspection inspection = provider.inspect(url);

    assertUnreadable(inspection).contains("does not exist", "CREATE DATABASE");
  }

  @Test
  void anUnreachableServerIsAProblemWithinTheConnectTimeout() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long start = System.nanoTime();

    StoreInspection inspection =
        provider.inspect("mariadb://bodhi:s3cret@127.0.0.1:" + closedPort + "/sessions");

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertUnreadable(inspection)
        .startsWith("Could not connect to the MariaDB session database")
        .contains("bodhi:***@127.0.0.1:" + closedPort)
        .doesNotContain("s3cret");
    assertThat(took).isLessThan(MariaDbInspector.CONNECT_TIMEOUT.plusSeconds(5));
  }

  @Test
  void aMalformedUrlIsAProblemNotAnException() {
    StoreInspection inspection = provider.inspect("mariadb://u:s3cret@h:abc/db");

    assertUnreadable(inspection).doesNotContain("s3cret");
  }
}

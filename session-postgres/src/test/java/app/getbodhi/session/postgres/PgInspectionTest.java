package app.getbodhi.session.postgres;

import static app.getbodhi.session.tck.Inspections.assertUnreachable;
import static app.getbodhi.session.tck.Inspections.assertUnreadable;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.postgres.internal.PgInspector;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import app.getbodhi.session.spi.StoreInspection.SessionCounts;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL provider's read-only look, against the kit's test server: what it reports, that it
 * creates nothing, and that a server it cannot use is a problem rather than an exception.
 */
class PgInspectionTest extends OnAFreshSchema {

  private final SessionStoreProvider provider = new PgSessionStoreProvider();

  /** A URL to the test's schema as a role of its own, whose password is {@code s3cret...}. */
  private String urlWithPassword() {
    return schema.urlForNewRole("inspect_" + schema.name(), "s3cret-" + schema.name());
  }

  private static SessionRecord session(String user, Instant expiry) {
    return new SessionRecord(SessionId.generate(), Map.of("user_id", user), expiry);
  }

  @Test
  void aMigratedSchemaShowsItsVersionAndTheLiveAndExpiredSessions() {
    String url = urlWithPassword();
    Instant now = Instant.now();
    try (PgSessionStore store = PgSessionStore.connect(url)) {
      store.migrate();
      store.save(session("alice", now.plus(Duration.ofDays(1))));
      store.save(session("bob", now.plus(Duration.ofDays(1))));
      store.save(session("bob", now.minus(Duration.ofMinutes(1))));
    }

    StoreInspection inspection = provider.inspect(url);

    assertThat(inspection.database()).isEqualTo(Database.FOUND);
    assertThat(inspection.problems()).isEmpty();
    assertThat(inspection.schemaVersion()).hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
    assertThat(inspection.sessions()).contains(new SessionCounts(2, 1, 2));
    assertThat(inspection.url())
        .contains("inspect_" + schema.name() + ":***@")
        .doesNotContain("s3cret");
  }

  @Test
  void anEmptySchemaIsFoundNotMigratedAndLeftEmpty() {
    StoreInspection inspection = provider.inspect(schema.url());

    assertThat(inspection.database()).isEqualTo(Database.FOUND);
    assertThat(inspection.migrated()).isFalse();
    assertThat(inspection.problems()).isEmpty();
    assertThat(schema.tableNames()).isEmpty();
  }

  @Test
  void aSchemaThatDoesNotExistIsAProblem() {
    String url =
        PostgresFixture.withParameter(schema.server().serverUrl(), "currentSchema=nowhere");

    StoreInspection inspection = provider.inspect(url);

    assertThat(inspection.problems())
        .singleElement()
        .asString()
        .contains("No schema of the connection's search path exists");
  }

  @Test
  void aDatabaseThatDoesNotExistIsAProblemNamingTheFix() {
    StoreInspection inspection =
        provider.inspect(PostgresFixture.withParameter(urlWithPassword(), "dbname=nodb"));

    assertUnreadable(inspection)
        .contains("does not exist", "CREATE DATABASE")
        .doesNotContain("s3cret");
  }

  @Test
  void anUnreachableServerIsAProblemWithinTheConnectTimeout() {
    assertUnreachable(provider, "postgres", PgInspector.CONNECT_TIMEOUT.plusSeconds(5))
        .startsWith("Could not connect to the PostgreSQL session database");
  }

  @Test
  void namesTheHostOfAMultiHostUrlThatAnsweredAndHidesThePassword() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = urlWithPassword();
    int hostStart = url.indexOf('@') + 1;
    String server = url.substring(hostStart, url.indexOf('/', hostStart));
    // the first host refuses connections, so the driver settles on the second
    String multiHost =
        url.substring(0, hostStart)
            + "127.0.0.1:"
            + closedPort
            + ","
            + url.substring(hostStart)
            + "&target_session_attrs=read-write";

    StoreInspection inspection = provider.inspect(multiHost);

    assertThat(inspection.database()).isEqualTo(Database.FOUND);
    assertThat(inspection.server()).contains(server + " (primary)");
    assertThat(inspection.url())
        .contains("127.0.0.1:" + closedPort + "," + server)
        .doesNotContain("s3cret");
  }

  @Test
  void aMalformedUrlIsAProblemNotAnException() {
    StoreInspection inspection = provider.inspect("postgres://u:s3cret@h:abc/db");

    assertUnreadable(inspection).doesNotContain("s3cret");
  }

  @Test
  void aDatabaseServerIsSharedByNodes() {
    assertThat(provider.sharedByNodes()).isTrue();
  }

  @Nested
  class SameStore {

    private static final String URL = "postgres://alice:pw@db.example:5432/app?currentSchema=s";

    @Test
    void holdsForOtherSpellingsOfTheSameServerDatabaseAndSchema() {
      assertThat(
              List.of(
                  "postgresql://bob:other@DB.EXAMPLE/app?currentSchema=s&sslmode=require",
                  "jdbc:postgresql://db.example:5432/app?currentSchema=s&user=carol",
                  "postgres://db.example:5432/app?currentSchema=S"))
          .allSatisfy(other -> assertThat(provider.sameStore(URL, other)).as(other).isTrue());
    }

    @Test
    void takesTheLoopbackSpellingsAsOneHostAndAnUnsetSchemaAsPublic() {
      assertThat(
              provider.sameStore(
                  "postgres://u@localhost:5433/app",
                  "jdbc:postgresql://127.0.0.1:5433/app?currentSchema=public"))
          .isTrue();
    }

    @Test
    void failsForAnotherPortDatabaseSchemaOrHost() {
      assertThat(
              List.of(
                  "postgres://alice@db.example:5433/app?currentSchema=s",
                  "postgres://alice@db.example:5432/app2?currentSchema=s",
                  "postgres://alice@db.example:5432/app?currentSchema=t",
                  "postgres://alice@db.example:5432/app",
                  "postgres://alice@other.example:5432/app?currentSchema=s"))
          .allSatisfy(other -> assertThat(provider.sameStore(URL, other)).as(other).isFalse());
    }
  }
}

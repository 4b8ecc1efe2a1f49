package app.getbodhi.session.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.postgres.internal.PgInspector;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import app.getbodhi.session.spi.StoreInspection.SessionCounts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL provider's read-only look, against a real (embedded) server: what it reports, that
 * it creates nothing, and that a server it cannot use is a problem rather than an exception.
 */
class PgInspectionTest {

  private static EmbeddedPostgres postgres;

  private final SessionStoreProvider provider = new PgSessionStoreProvider();

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** Creates an empty schema and returns a URL, with a password, whose connections work in it. */
  private static String urlFor(String schema) throws SQLException {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    return "postgres://postgres:s3cret@localhost:"
        + postgres.getPort()
        + "/postgres?currentSchema="
        + schema;
  }

  private static void execute(String... statements) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static List<String> tables(String schema) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                    + schema
                    + "'")) {
      List<String> names = new ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    }
  }

  private static SessionRecord session(String user, Instant expiry) {
    return new SessionRecord(SessionId.generate(), Map.of("user_id", user), expiry);
  }

  @Test
  void aMigratedSchemaShowsItsVersionAndTheLiveAndExpiredSessions() throws SQLException {
    String url = urlFor("inspect_migrated");
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
    assertThat(inspection.url()).contains("postgres:***@localhost").doesNotContain("s3cret");
  }

  @Test
  void anEmptySchemaIsFoundNotMigratedAndLeftEmpty() throws SQLException {
    String url = urlFor("inspect_empty");

    StoreInspection inspection = provider.inspect(url);

    assertThat(inspection.database()).isEqualTo(Database.FOUND);
    assertThat(inspection.migrated()).isFalse();
    assertThat(inspection.problems()).isEmpty();
    assertThat(tables("inspect_empty")).isEmpty();
  }

  @Test
  void aSchemaThatDoesNotExistIsAProblem() {
    String url =
        "postgres://postgres@localhost:" + postgres.getPort() + "/postgres?currentSchema=nowhere";

    StoreInspection inspection = provider.inspect(url);

    assertThat(inspection.problems())
        .singleElement()
        .asString()
        .contains("No schema of the connection's search path exists");
  }

  @Test
  void aDatabaseThatDoesNotExistIsAProblemNamingTheFix() {
    StoreInspection inspection =
        provider.inspect("postgres://postgres:s3cret@localhost:" + postgres.getPort() + "/nodb");

    assertThat(inspection.database()).isEqualTo(Database.UNREADABLE);
    assertThat(inspection.problems())
        .singleElement()
        .asString()
        .contains("does not exist", "CREATE DATABASE")
        .doesNotContain("s3cret");
  }

  @Test
  void anUnreachableServerIsAProblemWithinTheConnectTimeout() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long start = System.nanoTime();

    StoreInspection inspection =
        provider.inspect("postgres://bodhi:s3cret@127.0.0.1:" + closedPort + "/sessions");

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(inspection.database()).isEqualTo(Database.UNREADABLE);
    assertThat(inspection.problems())
        .singleElement()
        .asString()
        .startsWith("Could not connect to the PostgreSQL session database")
        .contains("bodhi:***@127.0.0.1:" + closedPort)
        .doesNotContain("s3cret");
    assertThat(took).isLessThan(PgInspector.CONNECT_TIMEOUT.plusSeconds(5));
  }

  @Test
  void aMalformedUrlIsAProblemNotAnException() {
    StoreInspection inspection = provider.inspect("postgres://u:s3cret@h:abc/db");

    assertThat(inspection.database()).isEqualTo(Database.UNREADABLE);
    assertThat(inspection.problems()).singleElement().asString().doesNotContain("s3cret");
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

package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.ExpiredSessionCleaner;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Session ids, database passwords and session data are secrets: none may reach a log line. An
 * application ({@link LogProbe}) runs in its own JVM with every logger at DEBUG, does the usual
 * things and fails the usual ways on both backends, logging each exception with its stack trace;
 * its whole log is then searched for every id it handled, the password and a secret session value.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SecretsInLogsTest {

  private PostgresSchema schema;
  private SqliteFixture sqlite;
  private String password;
  private String pgUrl;

  @BeforeEach
  void createRoleWithADistinctivePassword() {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String hex = HexFormat.of().formatHex(random);
    password = "Pr0be-" + hex + "-Pw";
    schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
    pgUrl = schema.urlForNewRole("log_probe_" + hex, password);
    sqlite = SqliteFixture.tempFile();
  }

  @AfterEach
  void dropSchemaAndRole() {
    try {
      schema.close();
    } finally {
      sqlite.close();
    }
  }

  @Test
  void an_application_logging_everything_at_debug_never_logs_an_id_a_password_or_session_data()
      throws Exception {
    String secretValue = "s3ssion-data-" + HexFormat.of().formatHex(new byte[] {7, 42, 99});

    ChildJvm.Output output =
        ChildJvm.run(
            LogProbe.class,
            Map.of("PROBE_URLS", pgUrl + " " + sqlite.url(), "PROBE_SECRET", secretValue),
            List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=debug",
                "-Dorg.slf4j.simpleLogger.log.org.flywaydb=debug"));
    String log = output.stderr();
    List<String> ids =
        output.stdout().stream()
            .filter(line -> line.startsWith("id "))
            .map(line -> line.substring(3))
            .toList();

    assertThat(output.exitCode()).as("the probe ran; its log:\n%s", log).isZero();
    assertThat(ids)
        .as("ids the probe handled")
        .hasSizeGreaterThan(20)
        .allMatch(id -> id.length() == 22);
    // the log is real: debug lines from the pool and the probe's own failures are in it
    assertThat(log)
        .contains("DEBUG com.zaxxer.hikari")
        .contains("Could not delete expired sessions")
        .contains("Could not load a session")
        .contains("could not start");
    assertThat(log).as("the database password").doesNotContain(password);
    assertThat(log).as("a secret value stored in session data").doesNotContain(secretValue);
    for (String id : ids) {
      assertThat(log).as("session id %s… in the log", id.substring(0, 4)).doesNotContain(id);
    }
  }

  @Test
  void a_failed_cleanup_round_on_a_closed_store_logs_a_warning_without_secrets() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<SessionId> ids = new java.util.ArrayList<>();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (String url : List.of(pgUrl, sqlite.url())) {
        SessionStoreBackend store = SessionStoreBackend.connect(url);
        SessionRecord record =
            new SessionRecord(
                SessionId.generate(), Map.of("user_id", "alice"), Instant.now().minusSeconds(1));
        store.save(record);
        ids.add(record.id());
        store.close();
        CountDownLatch rounds = new CountDownLatch(2);
        try (ExpiredSessionCleaner cleaner =
            new ExpiredSessionCleaner(
                new RoundCountingStore(store, rounds), Duration.ofMillis(10))) {
          assertThat(rounds.await(30, TimeUnit.SECONDS)).as("two rounds ran").isTrue();
          assertThat(cleaner.isClosed()).isFalse();
        }
      }
    } finally {
      System.setErr(originalErr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(log)
        .contains("Could not delete expired sessions in the postgres session store")
        .contains("Could not delete expired sessions in the sqlite session store")
        .doesNotContain(password);
    for (SessionId id : ids) {
      assertThat(log).doesNotContain(id.value());
    }
  }
}

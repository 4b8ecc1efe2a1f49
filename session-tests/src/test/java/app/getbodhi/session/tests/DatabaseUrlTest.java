package app.getbodhi.session.tests;

import static app.getbodhi.session.tests.Usable.assertUsable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.Concurrently;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The URL forms {@link SessionStoreBackend#connect(String, SessionStoreConfig)} accepts, and the
 * errors for the ones it refuses: clear, of the right kind, and never showing the password.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DatabaseUrlTest {

  private static final String PASSWORD = "s3cret";

  /** Fails fast when nothing listens, instead of waiting the default five seconds. */
  private static final SessionStoreConfig QUICK =
      SessionStoreConfig.defaults().withConnectionTimeout(Duration.ofMillis(500));

  @Nested
  @DisplayName("SQLite URLs")
  class Sqlite {

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("app.getbodhi.session.tests.DatabaseUrlTest#sqliteForms")
    void every_sqlite_url_form_opens_a_store_in_the_named_file(
        String form, Function<Path, String> urlFor) {
      Path file = dir.resolve("sessions.sqlite");
      SessionRecord saved =
          new SessionRecord(
              SessionId.generate(), Map.of("form", form), Instant.now().plusSeconds(3600));
      SessionRef ref;
      try (SessionStoreBackend backend = SessionStoreBackend.connect(urlFor.apply(file), QUICK)) {
        assertThat(backend.kind()).isEqualTo("sqlite");
        backend.save(saved);
        ref = backend.refOf(saved.id());
      }

      assertThat(file).isRegularFile();
      try (SqliteFixture raw = SqliteFixture.at(file)) {
        // the row is keyed by the id's ref, not by the id
        assertThat(
                raw.queryStrings("SELECT count(*) FROM bodhi_sessions WHERE id = ?", ref.value()))
            .containsExactly("1");
      }
    }

    @Test
    void missing_parent_folders_are_created() {
      Path file = dir.resolve("a/b/c/sessions.sqlite");

      try (SessionStoreBackend backend = SessionStoreBackend.connect("sqlite:" + file, QUICK)) {
        assertUsable(backend);
      }

      assertThat(file).isRegularFile();
    }

    @Test
    void an_in_memory_database_is_one_database_for_every_pooled_connection() throws Exception {
      try (SessionStoreBackend backend = SessionStoreBackend.connect("sqlite::memory:", QUICK)) {
        assertThat(backend.kind()).isEqualTo("sqlite");
        List<Callable<Integer>> users = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          users.add(
              () -> {
                for (int i = 0; i < 10; i++) {
                  assertUsable(backend);
                }
                return 10;
              });
        }

        // eight threads at once take eight connections; all must see the migrated table
        assertThat(Concurrently.runAtOnce(users)).containsOnly(10);
        assertThat(backend.streamAllSessions(1000).toList()).hasSize(80);
      }
    }

    @Test
    void a_path_below_a_regular_file_fails_with_a_clear_error() throws Exception {
      Path plainFile = Files.writeString(dir.resolve("not-a-folder"), "x");

      assertThatThrownBy(
              () -> SessionStoreBackend.connect("sqlite:" + plainFile.resolve("s.sqlite"), QUICK))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isIn(Kind.CONFIGURATION, Kind.DATABASE, Kind.MIGRATION);
                assertThat(e.getMessage()).isNotBlank();
              });
    }
  }

  static Stream<Arguments> sqliteForms() {
    return Stream.of(
        Arguments.of("sqlite:PATH", (Function<Path, String>) file -> "sqlite:" + file),
        Arguments.of("sqlite://PATH", (Function<Path, String>) file -> "sqlite://" + file),
        Arguments.of("jdbc:sqlite:PATH", (Function<Path, String>) file -> "jdbc:sqlite:" + file),
        Arguments.of(
            "sqlite:PATH?mode=rwc",
            (Function<Path, String>) file -> "sqlite:" + file + "?mode=rwc"),
        Arguments.of("SQLITE:PATH", (Function<Path, String>) file -> "SQLITE:" + file));
  }

  @Nested
  @DisplayName("PostgreSQL URLs")
  class Postgres {

    @Test
    void postgres_postgresql_and_jdbc_forms_open_a_store_in_the_named_schema() {
      try (PostgresSchema schema =
          PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
        PostgresFixture server = schema.server();
        String url = schema.url();
        String otherScheme =
            url.startsWith("postgres://")
                ? "postgresql://" + url.substring("postgres://".length())
                : url.startsWith("postgresql://")
                    ? "postgres://" + url.substring("postgresql://".length())
                    : url;
        String jdbc =
            server.user() == null
                ? schema.jdbcUrl()
                : PostgresFixture.withParameter(
                    schema.jdbcUrl(),
                    "user="
                        + PostgresFixture.percentEncode(server.user())
                        + "&password="
                        + PostgresFixture.percentEncode(server.password()));

        for (String form : new String[] {url, otherScheme, jdbc}) {
          try (SessionStoreBackend backend = SessionStoreBackend.connect(form, QUICK)) {
            assertThat(backend.kind()).isEqualTo("postgres");
            assertUsable(backend);
          }
        }

        assertThat(schema.tableNames()).contains("bodhi_sessions");
        assertThat(schema.sessionRowCount()).isEqualTo(3);
      }
    }

    @Test
    void user_and_password_are_percent_decoded() {
      byte[] random = new byte[4];
      new SecureRandom().nextBytes(random);
      String role = "tck user@" + HexFormat.of().formatHex(random) + ":é";
      String password = "p@ss:w/rd%?#&=é";
      try (PostgresSchema schema =
          PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
        String url = schema.urlForNewRole(role, password);

        try (SessionStoreBackend backend = SessionStoreBackend.connect(url, QUICK)) {
          assertThat(backend.kind()).isEqualTo("postgres");
          assertUsable(backend);
        }

        assertThat(
                schema.queryStrings(
                    "SELECT tableowner FROM pg_tables WHERE schemaname = ? AND tablename ="
                        + " 'bodhi_sessions'",
                    schema.name()))
            .containsExactly(role);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUrls")
  void a_bad_url_gives_a_clear_error_of_the_right_kind_without_the_password(
      String url, Set<Kind> expectedKinds) {
    assertThatThrownBy(() -> SessionStoreBackend.connect(url, QUICK).close())
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isIn(expectedKinds);
              assertThat(e.getMessage()).isNotBlank().doesNotContain(PASSWORD);
              assertThat(e.toString()).doesNotContain(PASSWORD);
              for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                assertThat(String.valueOf(cause.getMessage()))
                    .as("message of the cause %s", cause.getClass().getName())
                    .doesNotContain(PASSWORD);
              }
            });
  }

  static Stream<Arguments> badUrls() {
    Set<Kind> unsupported = EnumSet.of(Kind.UNSUPPORTED_URL);
    Set<Kind> malformed = EnumSet.of(Kind.CONFIGURATION);
    Set<Kind> unreachable = EnumSet.of(Kind.DATABASE, Kind.MIGRATION);
    return Stream.of(
        Arguments.of("mysql://bodhi:" + PASSWORD + "@localhost/app", unsupported),
        Arguments.of("http://bodhi:" + PASSWORD + "@localhost/app", unsupported),
        Arguments.of("jdbc:mysql://localhost/app?password=" + PASSWORD, unsupported),
        Arguments.of("postgres://bodhi:" + PASSWORD + "@localhost:notaport/app", malformed),
        Arguments.of("postgres://bodhi:" + PASSWORD + "@localhost:99999/app", malformed),
        Arguments.of("postgres://bodhi:" + PASSWORD + "@[::1/app", malformed),
        Arguments.of("postgres://bodhi:" + PASSWORD + "%zz@localhost/app", malformed),
        Arguments.of("postgres://bodhi:" + PASSWORD + "@127.0.0.1:1/app", unreachable),
        Arguments.of("postgres://bodhi:" + PASSWORD + "@[::1]:1/app", unreachable),
        Arguments.of(
            "jdbc:postgresql://127.0.0.1:1/app?user=bodhi&password=" + PASSWORD, unreachable));
  }
}

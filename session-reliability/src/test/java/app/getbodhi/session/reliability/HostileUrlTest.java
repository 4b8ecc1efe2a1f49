package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile session database URLs through the public entry point, {@link
 * SessionStoreBackend#connect}: each is refused with a clear error of the right kind, and no
 * message, cause, or stack trace ever repeats the password. (PgUrlTest in session-postgres and
 * DatabaseUrlTest in session-tests cover the parser and the well-formed forms; this adds the
 * hostile ones, end to end.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostileUrlTest {

  /** Distinctive, so that any echo of it is found; percent-safe, so it survives decoding. */
  static final String PASSWORD = "Hunter2-Xq7";

  private static final String USER_AND_PASSWORD = "bodhi:" + PASSWORD;

  /** Unreachable URLs fail quickly: a refused port fails at once, then the pool gives up. */
  static final SessionStoreConfig QUICK =
      SessionStoreConfig.defaults().withConnectionTimeout(Duration.ofMillis(500));

  private static final Set<Kind> MALFORMED = EnumSet.of(Kind.CONFIGURATION);
  private static final Set<Kind> UNSUPPORTED = EnumSet.of(Kind.UNSUPPORTED_URL);
  private static final Set<Kind> UNREACHABLE = EnumSet.of(Kind.DATABASE);

  @TempDir static Path dir;

  static Stream<Arguments> hostileUrls() {
    String pg = "postgres://" + USER_AND_PASSWORD;
    String closed = pg + "@127.0.0.1:1/app";
    return Stream.of(
        // not a URL a backend takes
        arguments("MySQL", "mysql://" + USER_AND_PASSWORD + "@localhost/app", UNSUPPORTED),
        arguments("HTTP", "http://" + USER_AND_PASSWORD + "@localhost/app", UNSUPPORTED),
        arguments("a local file", "file:///etc/passwd?password=" + PASSWORD, UNSUPPORTED),
        arguments("JDBC MySQL", "jdbc:mysql://localhost/app?password=" + PASSWORD, UNSUPPORTED),
        arguments("an empty scheme", "://" + USER_AND_PASSWORD + "@localhost/app", UNSUPPORTED),
        arguments("LDAP", "ldap://" + USER_AND_PASSWORD + "@localhost/app", UNSUPPORTED),
        arguments("blank", "   ", MALFORMED),
        // malformed PostgreSQL URLs
        arguments(
            "one slash",
            "postgres:/" + USER_AND_PASSWORD + "@localhost/app",
            EnumSet.of(Kind.CONFIGURATION, Kind.UNSUPPORTED_URL)),
        arguments("nothing after the scheme", "postgresql://", MALFORMED),
        arguments("a port that is not a number", pg + "@localhost:notaport/app", MALFORMED),
        arguments("a port out of range", pg + "@localhost:99999/app", MALFORMED),
        arguments("a negative port", pg + "@localhost:-1/app", MALFORMED),
        arguments("a colon without a port", pg + "@localhost:/app", MALFORMED),
        arguments("an unclosed IPv6 bracket", pg + "@[::1/app", MALFORMED),
        arguments("an IPv6 address with a zone id", pg + "@[fe80::1%25eth0]/app", MALFORMED),
        arguments("an unbracketed IPv6 address", pg + "@::1/app", MALFORMED),
        arguments("a host with a bang", pg + "@local!host/app", MALFORMED),
        arguments("a stray comma in the hosts", pg + "@h1,,h2/app", MALFORMED),
        arguments("a Unix socket folder as host", pg + "@%2Fvar%2Frun%2Fpostgresql/app", MALFORMED),
        arguments("a bad escape in the password", pg + "%zz@localhost/app", MALFORMED),
        arguments("a truncated escape in the password", pg + "%4@localhost/app", MALFORMED),
        arguments("a NUL in the password", pg + "%00@localhost/app", MALFORMED),
        arguments("a password that is not UTF-8", pg + "%ff%fe@localhost/app", MALFORMED),
        arguments("a space in the database", pg + "@localhost/my app", MALFORMED),
        arguments(
            "a header injected after a CR LF", pg + "@localhost/app\r\nX-Injected: 1", MALFORMED),
        arguments("a stray ampersand", pg + "@localhost/app?sslmode=disable&&x=1", MALFORMED),
        arguments("a parameter without a value", pg + "@localhost/app?sslmode", MALFORMED),
        arguments("a parameter without a name", pg + "@localhost/app?=disable", MALFORMED),
        arguments("a dash in a parameter name", pg + "@localhost/app?ssl-mode=disable", MALFORMED),
        arguments(
            "an SQL comment after sslmode", pg + "@localhost/app?sslmode=disable'--", MALFORMED),
        arguments(
            "an unknown target_session_attrs",
            pg + "@localhost/app?target_session_attrs=evil",
            MALFORMED),
        arguments(
            "a negative connect_timeout", pg + "@localhost/app?connect_timeout=-1", MALFORMED),
        arguments("another host as parameter", pg + "@localhost/app?host=evil.example", MALFORMED),
        arguments("a hostaddr parameter", pg + "@localhost/app?hostaddr=10.0.0.1", MALFORMED),
        arguments("a port parameter", pg + "@localhost/app?port=1", MALFORMED),
        arguments(
            "credentials inside a JDBC URL's authority",
            "jdbc:postgresql://" + USER_AND_PASSWORD + "@localhost/app",
            MALFORMED),
        arguments(
            "a JDBC URL with a port out of range",
            "jdbc:postgresql://localhost:99999/app?password=" + PASSWORD,
            MALFORMED),
        arguments(
            "a JDBC URL with a bad escape in the password",
            "jdbc:postgresql://localhost/app?user=bodhi&password=" + PASSWORD + "%zz",
            MALFORMED),
        // malformed SQLite URLs
        arguments("SQLite without a file", "sqlite:", MALFORMED),
        arguments(
            "SQLite with an unknown flag",
            "sqlite:" + dir.resolve("a.sqlite") + "?password=" + PASSWORD,
            MALFORMED),
        arguments(
            "SQLite with an unknown mode",
            "sqlite:" + dir.resolve("b.sqlite") + "?mode=evil",
            MALFORMED),
        arguments(
            "SQLite with a control character", "sqlite:" + dir + "/c\u0000.sqlite", MALFORMED),
        arguments(
            "SQLite in read-write mode on a missing file",
            "sqlite:" + dir.resolve("missing.sqlite") + "?mode=rw",
            MALFORMED),
        // well-formed, hostile or not, but nothing listens there
        arguments("a closed port", closed, UNREACHABLE),
        arguments("a closed port on IPv6", pg + "@[::1]:1/app", UNREACHABLE),
        arguments(
            "a JDBC URL to a closed port",
            "jdbc:postgresql://127.0.0.1:1/app?user=bodhi&password=" + PASSWORD,
            UNREACHABLE),
        arguments(
            "an options value that tries to end the quoting",
            closed + "?sslmode=disable&options=-c%20statement_timeout%3D0'--",
            UNREACHABLE),
        arguments(
            "an SQL statement as search path",
            closed + "?currentSchema=public%3BDROP%20TABLE%20bodhi_sessions",
            UNREACHABLE),
        arguments(
            "a password that looks like a URL part",
            "postgres://bodhi:" + PASSWORD + "%40evil.example%2F@127.0.0.1:1/app",
            UNREACHABLE),
        arguments(
            "a password given twice, in the user info and as a parameter",
            closed + "?password=" + PASSWORD + "2",
            UNREACHABLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileUrls")
  void is_refused_with_a_clear_error_of_the_right_kind_that_never_shows_the_password(
      String label, String url, Set<Kind> kinds) {
    assertThatThrownBy(() -> SessionStoreBackend.connect(url, QUICK).close())
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).as("kind; message: %s", e.getMessage()).isIn(kinds);
              assertThat(e.getMessage()).as("message").isNotBlank().doesNotContain(PASSWORD);
              assertThat(Calls.printed(e))
                  .as("the whole stack trace, every cause and suppressed exception included")
                  .doesNotContain(PASSWORD);
            });
  }

  @Test
  void there_are_at_least_thirty_of_them() {
    assertThat(hostileUrls()).hasSizeGreaterThanOrEqualTo(30);
  }

  @Nested
  class AgainstARealServer {

    @Test
    void an_sql_statement_in_the_search_path_parameter_is_never_run() {
      PostgresFixture server = PostgresFixture.shared(PgSessionStore::dataSource);
      try (PostgresSchema target = server.freshSchema()) {
        target.execute("CREATE TABLE canary (id INT)");
        target.execute("INSERT INTO canary VALUES (1)");
        String injected =
            PostgresFixture.withParameter(
                server.serverUrl(),
                "currentSchema="
                    + PostgresFixture.percentEncode(
                        target.name() + "\"; DROP TABLE " + target.name() + ".canary; --"));

        Throwable outcome = null;
        try {
          SessionStoreBackend.connect(injected, QUICK).close();
        } catch (SessionServiceException e) {
          outcome = e;
        }

        assertThat(target.queryLong("SELECT count(*) FROM canary"))
            .as("the canary table survives (connect ended with %s)", outcome)
            .isEqualTo(1);
      }
    }

    @Test
    void an_options_parameter_that_tries_to_break_out_of_its_quoting_is_refused_by_the_server() {
      String url =
          PostgresFixture.withParameter(
              PostgresFixture.shared(PgSessionStore::dataSource).serverUrl(),
              "options=-c%20statement_timeout%3D0'--");

      assertThatThrownBy(() -> SessionStoreBackend.connect(url, QUICK).close())
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.DATABASE);
                assertThat(e.getMessage()).contains("statement_timeout");
              });
    }
  }
}

package app.getbodhi.session.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.throwable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import app.getbodhi.session.SessionServiceException;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PgUrlTest {

  /** Part of every password in the bad URLs; no message may contain it, encoded or not. */
  private static final String SECRET = "s3cr3t";

  @Nested
  @DisplayName("a well-formed URL")
  class WellFormed {

    /**
     * A URL, the JDBC URL it becomes, and the driver properties it gives, written {@code
     * name=value} and separated by {@code ;}.
     */
    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
            postgres://bodhi:secret@db.example.com:5433/sessions | jdbc:postgresql://db.example.com:5433/sessions | user=bodhi; password=secret
            postgresql://bodhi:secret@db.example.com/sessions | jdbc:postgresql://db.example.com:5432/sessions | user=bodhi; password=secret
            postgres://localhost | jdbc:postgresql://localhost:5432/postgres |
            postgres://alice@localhost | jdbc:postgresql://localhost:5432/alice | user=alice
            postgres://user:p%40ss%3Aword@host/db | jdbc:postgresql://host:5432/db | user=user; password=p@ss:word
            postgres://b%C3%B6dhi%40corp:pw@host/db | jdbc:postgresql://host:5432/db | user=bödhi@corp; password=pw
            postgres://u:pa:ss@host/db | jdbc:postgresql://host:5432/db | user=u; password=pa:ss
            postgres://u:p@ss@host/db | jdbc:postgresql://host:5432/db | user=u; password=p@ss
            postgres://u:pw@[::1]:5433/db | jdbc:postgresql://[::1]:5433/db | user=u; password=pw
            postgres://[2001:db8::1]/db | jdbc:postgresql://[2001:db8::1]:5432/db |
            postgres:///db | jdbc:postgresql://localhost:5432/db |
            postgres://u@:6543 | jdbc:postgresql://localhost:6543/u | user=u
            postgres://127.0.0.1:05432/db | jdbc:postgresql://127.0.0.1:5432/db |
            POSTGRES://Db.Example.COM/db | jdbc:postgresql://Db.Example.COM:5432/db |
            postgres://host/my%20db%2Bx | jdbc:postgresql://host:5432/my+db%2Bx |
            postgres://host/db?sslmode=require&currentSchema=sessions&application_name=bodhi%20app | jdbc:postgresql://host:5432/db | sslmode=require; currentSchema=sessions; ApplicationName=bodhi app
            postgres://host/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&sslcert=%2Fc.pem&sslkey=%2Fk.pk8 | jdbc:postgresql://host:5432/db | sslmode=verify-full; sslrootcert=/etc/ca.pem; sslcert=/c.pem; sslkey=/k.pk8
            postgres://host/db?options=-c%20statement_timeout%3D5000 | jdbc:postgresql://host:5432/db | options=-c statement_timeout=5000
            postgres://host/db?connect_timeout=10&target_session_attrs=read-write&keepalives=0 | jdbc:postgresql://host:5432/db | connectTimeout=10; targetServerType=primary; tcpKeepAlive=false
            postgres://h1:5432,h2:5433,[::1]/db?target_session_attrs=prefer-standby | jdbc:postgresql://h1:5432,h2:5433,[::1]:5432/db | targetServerType=preferSecondary
            postgres://host/db?user=bob&password=s3cr3t%21pw | jdbc:postgresql://host:5432/db | user=bob; password=s3cr3t!pw
            postgres://host?dbname=other&unknown_setting=x | jdbc:postgresql://host:5432/other | unknown_setting=x
            postgres://host/db?application_name=a%26b%3Dc | jdbc:postgresql://host:5432/db | ApplicationName=a&b=c
            jdbc:postgresql://host:5432/db | jdbc:postgresql://host:5432/db |
            jdbc:postgresql://host/db?user=bob&password=s3cr3t%21pw&sslmode=require | jdbc:postgresql://host/db?sslmode=require | user=bob; password=s3cr3t!pw
            JDBC:PostgreSQL://[::1]:5433/db?sslpassword=k+y | jdbc:postgresql://[::1]:5433/db | sslpassword=k y
            """)
    void becomesAJdbcUrlWithoutCredentialsAndDriverProperties(
        String url, String jdbcUrl, String properties) {
      PgUrl parsed = PgUrl.parse(url);

      assertThat(parsed.jdbcUrl()).isEqualTo(jdbcUrl);
      assertThat(parsed.properties()).containsExactlyInAnyOrderEntriesOf(properties(properties));
    }

    /** Reads {@code name=value; name=value}; a value may hold {@code =}. */
    private static Map<String, String> properties(String pairs) {
      if (pairs == null) {
        return Map.of();
      }
      return Stream.of(pairs.split("; "))
          .map(pair -> pair.split("=", 2))
          .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    @Test
    void losesTheWhitespaceAroundIt() {
      PgUrl parsed = PgUrl.parse("  postgres://host/db \n");

      assertThat(parsed.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
      assertThat(parsed.properties()).isEmpty();
    }

    @Test
    void keepsThePasswordOutOfTheJdbcUrlAndToString() {
      PgUrl parsed = PgUrl.parse("postgres://bodhi:s3cr3t%21pw@host/db?sslpassword=s3cr3t-key");

      assertThat(parsed.jdbcUrl()).doesNotContain(SECRET);
      assertThat(parsed.toString()).doesNotContain(SECRET).contains("user=bodhi");
      assertThat(parsed.redactedUrl()).doesNotContain(SECRET);
      assertThat(parsed.user()).contains("bodhi");
    }

    @Test
    void handsOutACopyOfItsProperties() {
      PgUrl parsed = PgUrl.parse("postgres://bodhi@host/db");
      Properties properties = parsed.properties();

      properties.setProperty("user", "mallory");

      assertThat(parsed.properties().getProperty("user")).isEqualTo("bodhi");
    }
  }

  @Nested
  @DisplayName("a malformed URL")
  class Malformed {

    static Stream<Arguments> badUrls() {
      return Stream.of(
          arguments("postgres:/x", "must be followed by //"),
          arguments("postgres://", "nothing follows the scheme"),
          arguments("mysql://user:s3cr3t!pw@host/db", "not a PostgreSQL URL"),
          arguments(
              "postgres://user:s3cr3t%21pw@:99999/db", "port must be a number from 1 to 65535"),
          arguments("postgres://user:s3cr3t!pw@host:0/db", "port must be a number"),
          arguments("postgres://user:s3cr3t!pw@host:abc/db", "port must be a number"),
          arguments("postgres://user:s3cr3t!pw@host:/db", "followed by a port number"),
          arguments("postgres://user:s3cr3t!pw@[::1/db", "no closing ]"),
          arguments("postgres://user:s3cr3t!pw@[::1]x/db", "only :port may follow"),
          arguments("postgres://user:s3cr3t!pw@[zz]/db", "IPv6 address"),
          arguments("postgres://user:s3cr3t!pw@::1/db", "in brackets"),
          arguments("postgres://user:s3cr3t!pw@ho!st/db", "host must be a host name"),
          arguments("postgres://user:s3cr3t!pw@%2Fvar%2Frun/db", "Unix-domain socket"),
          arguments("postgres://user:s3cr3t!pw@h1,,h2/db", "empty entry"),
          arguments("postgres://user:s3cr3t!pw@host/d b", "space or control character"),
          arguments("postgres://user:s3cr3t!pw@host\t/db", "space or control character"),
          arguments("postgres://user:s3cr3t%zz@host/db", "the password has a bad percent-escape"),
          arguments("postgres://user:s3cr3t%21pw@host/db%4", "truncated percent-escape"),
          arguments("postgres://user:s3cr3t%ff@host/db", "not valid UTF-8"),
          arguments("postgres://user:s3cr3t%00@host/db", "%00"),
          arguments("postgres://us%zzer:s3cr3t!pw@host/db", "the user name has a bad"),
          arguments("postgres://user:s3cr3t!pw@host/db?sslmode", "sslmode has no '=value'"),
          arguments("postgres://user:s3cr3t!pw@host/db?=x", "has no name"),
          arguments("postgres://user:s3cr3t!pw@host/db?a=1&&b=2", "stray '&'"),
          arguments("postgres://user:s3cr3t!pw@host/db?bad-name=1", "parameter name must be"),
          arguments("postgres://user:s3cr3t!pw@host/db?x%zz=1", "parameter name has a bad"),
          arguments("postgres://user:s3cr3t!pw@host/db?sslmode=sometimes", "sslmode must be"),
          arguments(
              "postgres://user:s3cr3t!pw@host/db?target_session_attrs=any-old",
              "target_session_attrs must be"),
          arguments("postgres://user:s3cr3t!pw@host/db?connect_timeout=soon", "whole number"),
          arguments("postgres://user:s3cr3t!pw@host/db?host=other", "host is not supported"),
          arguments("postgres://host/db?password=s3cr3t%21pw&x=%zz", "the value of x has a bad"),
          arguments("jdbc:postgresql://user:s3cr3t!pw@host/db", "cannot hold user:password@"),
          arguments(
              "jdbc:postgresql://host:99999/db?password=s3cr3t!pw", "driver does not accept it"),
          arguments("jdbc:postgresql://host/db?password=s3cr3t%zz", "bad percent-escape"));
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @MethodSource("badUrls")
    void isAConfigurationErrorThatSaysWhatIsWrongWithoutThePassword(String url, String problem) {
      assertThatThrownBy(() -> PgUrl.parse(url))
          .asInstanceOf(throwable(SessionServiceException.class))
          .returns(SessionServiceException.Kind.CONFIGURATION, SessionServiceException::kind)
          .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET))
          .message()
          .contains(problem)
          .contains("postgres://user:password@host:port/dbname")
          .doesNotContain(SECRET);
    }

    @ParameterizedTest(name = "[{0}] is refused as empty")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void thatIsEmptyIsAConfigurationError(String url) {
      assertThatThrownBy(() -> PgUrl.parse(url))
          .asInstanceOf(throwable(SessionServiceException.class))
          .returns(SessionServiceException.Kind.CONFIGURATION, SessionServiceException::kind)
          .message()
          .contains("is empty");
    }

    @Test
    void isShownRedactedInTheMessage() {
      assertThatThrownBy(() -> PgUrl.parse("postgres://bodhi:s3cr3t@host:abc/db"))
          .hasMessageContaining("postgres://bodhi:***@host:abc/db");
    }

    @Test
    void hasItsControlCharactersEscapedInTheMessage() {
      assertThatThrownBy(() -> PgUrl.parse("postgres://host/d\u0007b"))
          .hasMessageContaining("postgres://host/d\\u0007b")
          .hasMessageContaining("index 17");
    }
  }

  @Nested
  @DisplayName("a multi-host URL")
  class MultiHost {

    static final String HOSTS = "postgres://bodhi:" + SECRET + "@h1:5432,h2:5433,[::1]";

    static Stream<Arguments> targetSessionAttrs() {
      return Stream.of(
          arguments("any", "any"),
          arguments("read-write", "primary"),
          arguments("primary", "primary"),
          arguments("read-only", "secondary"),
          arguments("standby", "secondary"),
          arguments("prefer-standby", "preferSecondary"));
    }

    @ParameterizedTest(name = "target_session_attrs={0} becomes targetServerType={1}")
    @MethodSource("targetSessionAttrs")
    void becomesPgjdbcsMultiHostUrlWithItsTargetServerType(String libpq, String pgjdbc) {
      PgUrl parsed = PgUrl.parse(HOSTS + "/db?target_session_attrs=" + libpq);

      assertThat(parsed.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433,[::1]:5432/db");
      assertThat(parsed.properties())
          .containsEntry("targetServerType", pgjdbc)
          .containsEntry("password", SECRET)
          .doesNotContainKey("target_session_attrs");
      assertThat(PgLocation.of(parsed.jdbcUrl()).servers())
          .containsExactly("h1:5432", "h2:5433", "localhost:5432");
    }

    @Test
    void showsEveryHostButNeverThePassword() {
      PgUrl parsed = PgUrl.parse(HOSTS + "/db?target_session_attrs=read-write");

      assertThat(parsed.redactedUrl())
          .isEqualTo(
              "postgres://bodhi:***@h1:5432,h2:5433,[::1]/db?target_session_attrs=read-write");
      assertThat(parsed.jdbcUrl()).doesNotContain(SECRET);
      assertThat(parsed.toString()).doesNotContain(SECRET).contains("targetServerType=primary");
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @ValueSource(
        strings = {
          "/db?target_session_attrs=prefer-primary",
          "/db?target_session_attrs=PRIMARY",
          "/db?target_session_attrs=",
          ",/db",
          ",h3:0/db",
          ",h3:/db",
          "/db?host=h3"
        })
    void refusesWhatPgjdbcCannotDoWithoutShowingThePassword(String rest) {
      assertThatThrownBy(() -> PgUrl.parse(HOSTS + rest))
          .asInstanceOf(throwable(SessionServiceException.class))
          .returns(SessionServiceException.Kind.CONFIGURATION, SessionServiceException::kind)
          .message()
          .contains("postgres://bodhi:***@h1:5432,h2:5433,[::1]")
          .doesNotContain(SECRET);
    }

    @Test
    void namesTheValuesTargetSessionAttrsTakes() {
      assertThatThrownBy(() -> PgUrl.parse(HOSTS + "/db?target_session_attrs=prefer-primary"))
          .hasMessageContaining(
              "target_session_attrs must be one of [any, prefer-standby, primary, read-only,"
                  + " read-write, standby]");
    }
  }
}

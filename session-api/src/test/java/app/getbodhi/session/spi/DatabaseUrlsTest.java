package app.getbodhi.session.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseUrlsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "postgres://bodhi:s3cret@host/db | postgres://bodhi:***@host/db",
        "postgresql://bodhi:s3cret@[::1]:5432/db?sslmode=require"
            + " | postgresql://bodhi:***@[::1]:5432/db?sslmode=require",
        "postgres://bodhi:p@ss/w?rd@host/db | postgres://bodhi:***@host/db",
        "postgres://bodhi@host/db | postgres://bodhi@host/db",
        "jdbc:postgresql://host/db?user=u&password=s3cret&ssl=true"
            + " | jdbc:postgresql://host/db?user=u&password=***&ssl=true",
        "jdbc:postgresql://host/db?PASSWORD=s3cret | jdbc:postgresql://host/db?PASSWORD=***",
        "sqlite:/var/lib/session.sqlite | sqlite:/var/lib/session.sqlite",
        "postgres:bodhi:s3cret@host | postgres:bodhi:***@host",
      })
  void thePasswordIsMaskedAndTheRestKept(String url, String redacted) {
    assertThat(DatabaseUrls.redact(url)).isEqualTo(redacted).doesNotContain("s3cret");
  }

  @ParameterizedTest(name = "{0} has scheme {1}")
  @CsvSource({
    "postgres://h/db, postgres",
    "POSTGRESQL://h/db, postgresql",
    "jdbc:postgresql://h/db, jdbc:postgresql",
    "sqlite::memory:, sqlite",
    "jdbc:sqlite:x.db, jdbc:sqlite",
  })
  void theSchemeIsLowerCaseAndKeepsTheJdbcPrefix(String url, String scheme) {
    assertThat(DatabaseUrls.scheme(url)).contains(scheme);
  }

  @ParameterizedTest(name = "''{0}'' has no scheme")
  @CsvSource({"x.db", "://h", "'1a:b'", "'with space:x'"})
  void textWithoutASchemeHasNone(String url) {
    assertThat(DatabaseUrls.scheme(url)).isEmpty();
  }
}

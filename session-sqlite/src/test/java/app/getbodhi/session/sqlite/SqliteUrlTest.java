package app.getbodhi.session.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.sqlite.internal.SqliteUrl;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqliteUrlTest {

  @Nested
  class GoodUrls {

    @ParameterizedTest(name = "{0} opens {1}")
    @CsvSource({
      "sqlite:/tmp/a/session.sqlite, /tmp/a/session.sqlite, READ_WRITE_CREATE",
      "sqlite:///tmp/a/session.sqlite, /tmp/a/session.sqlite, READ_WRITE_CREATE",
      "jdbc:sqlite:/tmp/a/session.sqlite, /tmp/a/session.sqlite, READ_WRITE_CREATE",
      "SQLITE:/tmp/a/s.db?mode=rwc, /tmp/a/s.db, READ_WRITE_CREATE",
      "sqlite:/tmp/a/s.db?mode=rw, /tmp/a/s.db, READ_WRITE",
      "sqlite:/tmp/a/s.db?mode=ro, /tmp/a/s.db, READ_ONLY",
      "sqlite:/tmp/a/../b/s.db, /tmp/b/s.db, READ_WRITE_CREATE",
    })
    void aFileUrlNamesTheNormalisedAbsolutePathAndMode(
        String url, String path, SqliteUrl.Mode mode) {
      SqliteUrl parsed = SqliteUrl.parse(url);

      assertThat(parsed.file()).contains(Path.of(path));
      assertThat(parsed.mode()).isEqualTo(mode);
      assertThat(parsed.jdbcUrl()).startsWith("jdbc:sqlite:");
    }

    @Test
    void aRelativePathIsResolvedAgainstTheWorkingDirectory() {
      assertThat(SqliteUrl.parse("sqlite://data/session.sqlite").file())
          .contains(Path.of("data/session.sqlite").toAbsolutePath());
    }

    @ParameterizedTest(name = "{0} is in memory")
    @ValueSource(strings = {"sqlite::memory:", "sqlite://:memory:", "sqlite:x.db?mode=memory"})
    void memoryUrlsGiveAPrivateInMemoryDatabase(String url) {
      SqliteUrl first = SqliteUrl.parse(url);
      SqliteUrl second = SqliteUrl.parse(url);

      assertThat(first.mode()).isEqualTo(SqliteUrl.Mode.MEMORY);
      assertThat(first.file()).isEmpty();
      assertThat(first.jdbcUrl()).contains("mode=memory").isNotEqualTo(second.jdbcUrl());
    }
  }

  @Nested
  class BadUrls {

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(
        strings = {
          "",
          "   ",
          "sqlite:",
          "sqlite://",
          "sqlite:/tmp/x.db?mode=fast",
          "sqlite:/tmp/x.db?cache=shared",
          "sqlite:/tmp/x.db?mode",
          "sqlite:/tmp/x\u0000.db",
          "mysql://localhost/db",
        })
    void aMalformedUrlIsAConfigurationError(String url) {
      assertThatThrownBy(() -> SqliteUrl.parse(url))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION))
          .hasMessageContaining("SQLite session URL");
    }
  }
}

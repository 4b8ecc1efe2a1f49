package app.getbodhi.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdTest {

  @Nested
  class Generate {

    @Test
    void anIdIs22UrlSafeCharactersDecodingTo16Bytes() {
      String value = SessionId.generate().value();

      assertThat(value).hasSize(22).matches("[A-Za-z0-9_-]{22}");
      assertThat(Base64.getUrlDecoder().decode(value)).hasSize(16);
    }

    @Test
    void tenThousandIdsAreAllDifferent() {
      Set<SessionId> ids = new HashSet<>();
      for (int i = 0; i < 10_000; i++) {
        ids.add(SessionId.generate());
      }
      assertThat(ids).hasSize(10_000);
    }

    @Test
    void aGeneratedIdParsesBackToAnEqualId() {
      SessionId id = SessionId.generate();
      assertThat(SessionId.parse(id.value())).contains(id);
    }
  }

  @Nested
  class Parse {

    @ParameterizedTest(name = "''{0}'' is not an id")
    @ValueSource(
        strings = {
          "",
          " ",
          "abc",
          "AAAAAAAAAAAAAAAAAAAAA",
          "AAAAAAAAAAAAAAAAAAAAAAA",
          "AAAAAAAAAAAAAAAAAAAAAA==",
          "AAAAAAAAAAAAAAAAAAAA+/",
          "AAAAAAAAAAAAAAAAAAAAA/",
          "AAAAAAAAAAAAAAAAAAAAA=",
          "AAAAAAAAAAAAAAAAAAAAA ",
          "ÄAAAAAAAAAAAAAAAAAAAAA",
          "AAAAAAAAAAAAAAAAAAAAAB",
          "'; DROP TABLE x; --AAAA"
        })
    void malformedTextIsEmpty(String text) {
      assertThat(SessionId.parse(text)).isEmpty();
    }

    @Test
    void nullIsEmpty() {
      assertThat(SessionId.parse(null)).isEmpty();
    }

    @Test
    void randomStringsNeverThrowAndOnlyCanonicalIdsParse() {
      Random random = new Random(42);
      for (int i = 0; i < 100_000; i++) {
        int length = random.nextInt(4) == 0 ? 22 : random.nextInt(64);
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < length; j++) {
          text.append((char) random.nextInt(random.nextBoolean() ? 128 : 0x3000));
        }
        String candidate = text.toString();
        SessionId.parse(candidate)
            .ifPresent(
                id ->
                    assertThat(
                            Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(Base64.getUrlDecoder().decode(id.value())))
                        .isEqualTo(candidate));
      }
    }
  }

  @Test
  void toStringRevealsOnlyAShortPrefix() {
    SessionId id = SessionId.generate();

    assertThat(id.toString()).doesNotContain(id.value()).contains(id.value().substring(0, 4));
    assertThat(id.toString().length()).isLessThan(id.value().length());
  }
}

package app.getbodhi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionRefTest {

  private static final String WELL_FORMED = "a".repeat(42) + "A";

  @Test
  void aRefIs43Base64UrlCharactersAndShowsInFull() {
    SessionRef ref = new SessionRef(WELL_FORMED);

    assertThat(ref.toString()).isEqualTo(WELL_FORMED);
    assertThat(SessionRef.parse(WELL_FORMED)).contains(ref);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "short",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaB", // last char has low bits set
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaAA"
      })
  void anythingElseIsNotARef(String text) {
    assertThat(SessionRef.parse(text)).isEmpty();
    assertThatThrownBy(() -> new SessionRef(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("43 characters");
  }

  @Test
  void parsingNullGivesNothing() {
    assertThat(SessionRef.parse(null)).isEmpty();
  }

  @Test
  void refsOrderByTheirText() {
    SessionRef low = new SessionRef("A".repeat(43));
    SessionRef high = new SessionRef(WELL_FORMED);

    assertThat(low).isLessThan(high);
  }
}

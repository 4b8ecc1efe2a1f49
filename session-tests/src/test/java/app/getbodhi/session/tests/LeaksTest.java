package app.getbodhi.session.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The search the stolen-database tests rely on: if it missed a form, those tests would pass on a
 * leaking store. Each form is encoded here independently of {@link Leaks} and planted into random
 * bytes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LeaksTest {

  /**
   * Sixteen bytes whose URL-safe and standard base64 differ ({@code --__} against {@code ++//}), so
   * that each base64 form is a needle of its own.
   */
  private static final byte[] ID = {
    (byte) 0xFB, (byte) 0xEF, (byte) 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
  };

  private static final String COOKIE = Base64.getUrlEncoder().withoutPadding().encodeToString(ID);

  private static final String MARKER = "marker-Qx3vL9aZ0pR2sT4uW6yB8dF1";

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] planted(byte[] needle, int at) {
    byte[] haystack = randomBytes(64 * 1024, 42);
    System.arraycopy(needle, 0, haystack, at, needle.length);
    return haystack;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static Stream<Arguments> cookieForms() {
    return Stream.of(
        Arguments.of("text", ascii(COOKIE)),
        Arguments.of(
            "URL-safe base64 with padding", ascii(Base64.getUrlEncoder().encodeToString(ID))),
        Arguments.of("standard base64 with padding", ascii(Base64.getEncoder().encodeToString(ID))),
        Arguments.of(
            "standard base64 without padding",
            ascii(Base64.getEncoder().withoutPadding().encodeToString(ID))),
        Arguments.of("hex (lower case)", ascii(HexFormat.of().formatHex(ID))),
        Arguments.of("hex (upper case)", ascii(HexFormat.of().withUpperCase().formatHex(ID))),
        Arguments.of("raw bytes", ID.clone()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cookieForms")
  void a_cookie_value_planted_in_any_form_is_found_and_named_by_that_form(
      String kind, byte[] form) {
    List<String> found = Leaks.find(planted(form, 5000), List.of(COOKIE), List.of());

    assertThat(found)
        .contains("cookie #0 (" + COOKIE.substring(0, 4) + "…) as " + kind + " at byte 5000");
  }

  @Test
  void a_marker_planted_as_text_or_as_hex_is_found() {
    byte[] text = ascii(MARKER);

    assertThat(Leaks.find(planted(text, 123), List.of(), List.of("other-marker-123456", MARKER)))
        .containsExactly("marker #1 (…8dF1) as text at byte 123");
    assertThat(
            Leaks.find(
                planted(ascii(HexFormat.of().formatHex(text)), 9), List.of(), List.of(MARKER)))
        .containsExactly("marker #0 (…8dF1) as hex (lower case) at byte 9");
    assertThat(
            Leaks.find(
                planted(ascii(HexFormat.of().withUpperCase().formatHex(text)), 9),
                List.of(),
                List.of(MARKER)))
        .containsExactly("marker #0 (…8dF1) as hex (upper case) at byte 9");
  }

  @Test
  void a_needle_at_the_very_start_or_the_very_end_of_the_bytes_is_found() {
    byte[] haystack = randomBytes(1000, 7);
    System.arraycopy(ID, 0, haystack, 0, ID.length);
    byte[] text = ascii(MARKER);
    System.arraycopy(text, 0, haystack, haystack.length - text.length, text.length);

    assertThat(Leaks.find(haystack, List.of(COOKIE), List.of(MARKER)))
        .containsExactlyInAnyOrder(
            "cookie #0 (" + COOKIE.substring(0, 4) + "…) as raw bytes at byte 0",
            "marker #0 (…8dF1) as text at byte " + (haystack.length - text.length));
  }

  @Test
  void random_bytes_with_nothing_planted_hold_no_leak() {
    assertThat(Leaks.find(randomBytes(4 * 1024 * 1024, 1), List.of(COOKIE), List.of(MARKER)))
        .isEmpty();
  }

  @Test
  void a_description_never_shows_more_than_four_characters_of_a_cookie() {
    List<String> found = Leaks.find(planted(ascii(COOKIE), 10), List.of(COOKIE), List.of());

    assertThat(found).isNotEmpty().noneMatch(line -> line.contains(COOKIE.substring(0, 5)));
  }

  @Test
  void a_value_that_is_no_base64_is_still_searched_for_as_text() {
    String odd = "not base64 at all!";

    assertThat(Leaks.cookieForms(odd)).containsOnlyKeys("text");
    assertThat(Leaks.find(planted(ascii(odd), 77), List.of(odd), List.of()))
        .containsExactly("cookie #0 (not …) as text at byte 77");
  }

  @Test
  void a_value_too_short_to_search_for_without_chance_matches_is_refused() {
    assertThatThrownBy(() -> Leaks.find(new byte[100], List.of(), List.of("abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too short");
  }
}

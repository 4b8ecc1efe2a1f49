package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link Text#printable} lets through to a terminal, and what it replaces. */
class TextTest {

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(
      ints = {
        0x1b,
        0x07,
        0x7f,
        0x9b, // controls: escape, bell, delete, CSI
        0x202e,
        0x202d,
        0x2066,
        0x200b,
        0x200d,
        0xfeff,
        0xad,
        0x061c, // format characters
        0x2028,
        0x2029, // line and paragraph separators
        0xd800 // an unpaired surrogate
      })
  void replacesEveryCharacterThatDoesNotShowAsItself(int codePoint) {
    String text = "a" + new String(Character.toChars(codePoint)) + "b";

    assertThat(Text.printable(text)).isEqualTo("a?b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "Zoë Ødegård", "名前", "user@example.com", "a b", "😀 emoji"})
  void leavesOrdinaryTextAlone(String text) {
    assertThat(Text.printable(text)).isEqualTo(text);
  }
}

package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@code sessions revoke} picks the session a prefix names, from the refs the store found for
 * it. Two refs that share their first eight characters cannot be made on purpose (refs are hashes),
 * so the ambiguous case is told here; the others run for real in {@link SessionsCommandsTest}.
 */
class RevokeCommandTest {

  private static final String PREFIX = "abcdefgh";
  private static final SessionRef FIRST = new SessionRef(PREFIX + "A" + "A".repeat(34));
  private static final SessionRef SECOND = new SessionRef(PREFIX + "B" + "A".repeat(34));

  @Test
  void oneMatchIsTheSessionToRevoke() {
    assertThat(RevokeCommand.resolve(List.of(FIRST), PREFIX)).isEqualTo(FIRST);
  }

  @Test
  void noMatchIsAnErrorThatNamesThePrefix() {
    assertThatThrownBy(() -> RevokeCommand.resolve(List.of(), PREFIX))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("No session has a ref starting with '" + PREFIX + "'.");
  }

  @Test
  void twoMatchesAreAmbiguousAndAskForMoreCharactersWithoutNamingEither() {
    assertThatThrownBy(() -> RevokeCommand.resolve(List.of(FIRST, SECOND), PREFIX))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("'" + PREFIX + "' is ambiguous")
        .hasMessageContaining("Type more characters")
        .hasMessageNotContaining(FIRST.value())
        .hasMessageNotContaining(SECOND.value());
  }
}

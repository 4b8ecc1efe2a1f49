package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which terminal a process gets when nobody is at a keyboard, as in a build. */
class TerminalTest {

  @Test
  void aProcessWhoseStreamsAreRedirectedIsNotInteractive() {
    // the test JVM's standard input is not a terminal: on JDK 22 and later System.console() is
    // non-null all the same, and only Console.isTerminal() says so
    assertThat(Terminal.system().interactive()).isFalse();
  }

  @Test
  void noTerminalIsNotInteractiveAndReadsNothing() {
    Terminal none = Terminal.none();

    assertThat(none.interactive()).isFalse();
    assertThat(none.readLine("Delete? ")).isEmpty();
  }
}

package app.getbodhi.session.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the tests that run the admin commands in-process: a temporary BODHI_HOME, a {@link
 * Cli} over it, and the URL of its default SQLite store, which the commands use when no {@code
 * --db-url} is given.
 */
abstract class AdminCommandTestBase {

  @TempDir Path home;

  /** The command line of the running test, over {@link #home}. */
  Cli cli;

  /** The default store's URL: a real SQLite file under {@link #home}. */
  String url;

  @BeforeEach
  void commandLine() {
    cli = Cli.withHome(home);
    url = cli.defaultUrl();
  }
}

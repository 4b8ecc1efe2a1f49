package app.getbodhi.session.cli;

import picocli.CommandLine.Option;

/** The required {@code --user} option of the per-user commands. */
final class UserOption {

  @Option(
      names = "--user",
      paramLabel = "USER",
      required = true,
      converter = OptionValues.NonBlank.class,
      description = "The user, matched exactly (the session's user_id).")
  private String user;

  /**
   * Returns the user; a blank one, which no session can have, is refused while parsing.
   *
   * @return the user as given
   */
  String user() {
    return user;
  }
}

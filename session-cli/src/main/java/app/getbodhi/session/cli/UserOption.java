package app.getbodhi.session.cli;

import picocli.CommandLine.Option;

/** The required {@code --user} option of the per-user commands. */
final class UserOption {

  @Option(
      names = "--user",
      paramLabel = "USER",
      required = true,
      description = "The user, matched exactly (the session's user_id).")
  private String user;

  /**
   * Returns the user.
   *
   * @return the user as given
   * @throws CliException when the value is blank, which no session can have as its user
   */
  String user() {
    if (user == null || user.isBlank()) {
      throw new CliException("--user must not be blank.");
    }
    return user;
  }
}

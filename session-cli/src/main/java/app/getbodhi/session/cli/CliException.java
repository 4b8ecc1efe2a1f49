package app.getbodhi.session.cli;

/**
 * An expected failure of a command, such as a refused confirmation or a store that cannot be read
 * as it is: the command line prints its message as one line on stderr and exits with {@link
 * BodhiSessions#EXIT_FAILURE}, without a stack trace. (A bad option value is not one: it is refused
 * while parsing, as a wrong command line; see {@link OptionValues}.)
 */
public final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do; shown to the user as it is
   */
  public CliException(String message) {
    super(message);
  }
}

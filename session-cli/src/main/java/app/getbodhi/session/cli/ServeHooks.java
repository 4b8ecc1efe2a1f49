package app.getbodhi.session.cli;

import java.net.URI;

/**
 * What {@code serve} tells the process it runs in once it is listening: where, and how to stop it.
 * The real process stops it from a JVM shutdown hook (Ctrl-C, SIGTERM); a test keeps the stop
 * action and calls it itself, so no test ever registers a shutdown hook.
 */
@FunctionalInterface
public interface ServeHooks {

  /**
   * Called once the server listens.
   *
   * @param address the server's base address, with the port actually bound
   * @param stop stops the server and closes the session service; safe to call more than once and
   *     from any thread
   */
  void serving(URI address, Runnable stop);

  /**
   * Returns the hooks of a real process: {@code stop} runs in a JVM shutdown hook.
   *
   * @return the hooks
   */
  static ServeHooks shutdownHook() {
    return (address, stop) ->
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "bodhi-sessions-shutdown"));
  }
}

package app.getbodhi.session.postgres.internal;

import app.getbodhi.session.jooq.UrlProblems;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The pgjdbc parameters a session URL may not set. Each makes the driver load a class named in the
 * URL, turns off a safeguard ({@code sslfactory=...NonValidatingFactory} skips certificate checks)
 * or writes files: whoever can set the URL would gain that power. An application that needs one
 * builds its own DataSource and uses {@code new PgSessionStore(dataSource)}.
 */
final class PgUnsafeParameters {

  /** The refused names, lower case: pgjdbc matches some names without regard to case. */
  static final Set<String> NAMES =
      Set.of(
          "socketfactory",
          "socketfactoryarg",
          "sslfactory",
          "sslfactoryarg",
          "sslhostnameverifier",
          "sslpasswordcallback",
          "authenticationpluginclassname",
          "xmlfactoryfactory",
          "loggerfile",
          "loggerlevel");

  private PgUnsafeParameters() {}

  /**
   * Refuses an unsafe parameter.
   *
   * @param name the parameter's name as written; percent-escapes are decoded before comparing
   * @param problems the errors of the URL
   * @throws app.getbodhi.session.SessionServiceException of kind CONFIGURATION for an unsafe name
   */
  static void refuse(String name, UrlProblems problems) {
    String normalized;
    try {
      normalized = URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      normalized = name.toLowerCase(Locale.ROOT);
    }
    if (NAMES.contains(normalized)) {
      throw problems.invalid(
          "the driver parameter "
              + normalized
              + " is not allowed in a session URL: it makes the driver load a class, skip a"
              + " check or write a file. Build a DataSource and use new PgSessionStore(dataSource)"
              + " if you need it");
    }
  }
}

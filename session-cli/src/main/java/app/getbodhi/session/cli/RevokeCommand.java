package app.getbodhi.session.cli;

import app.getbodhi.session.SessionRef;
import app.getbodhi.session.service.SessionStoreBackend;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sessions revoke REF}: deletes one session, named by its ref (as {@code sessions list} and
 * {@code sessions dump} print it) or by the first characters of it, logging that one device out.
 *
 * <p>A prefix must name exactly one session: one that matches none or several is refused, and
 * nothing is deleted. It must be at least {@value #MIN_PREFIX} characters long, so that a slip of
 * the keyboard cannot pick a session at random.
 */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes one session, named by its ref or the first "
          + RevokeCommand.MIN_PREFIX
          + " or more characters of it.",
      "Find refs with 'sessions list --user USER' or 'sessions dump'. The session's user is"
          + " logged out on that device at its next request, on every node."
    })
final class RevokeCommand extends StoreCommand {

  /** The fewest characters of a ref accepted: 48 bits, which no two sessions share in practice. */
  static final int MIN_PREFIX = 8;

  /** Two matches are enough to tell a prefix that names one session from an ambiguous one. */
  private static final int MATCHES_NEEDED = 2;

  @Parameters(
      index = "0",
      paramLabel = "REF",
      converter = OptionValues.RefPrefix.class,
      description =
          "The session's ref, or its first "
              + MIN_PREFIX
              + " or more characters if they name only it.")
  private String prefix;

  RevokeCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return withAdminService(
        service -> {
          SessionStoreBackend store = service.backend();
          SessionRef ref = resolve(store.findRefsByPrefix(prefix, MATCHES_NEEDED), prefix);
          if (!store.delete(ref)) {
            // found a moment ago: someone else deleted it (a logout, a purge) in between
            throw new CliException("Session " + ref + " was deleted meanwhile; nothing to revoke.");
          }
          // a ref is no credential: it is safe to print
          out().println("Revoked session " + ref);
        });
  }

  /**
   * Picks the one session a prefix names, from the refs the store found for it.
   *
   * @param matches the refs that start with the prefix, at most {@value #MATCHES_NEEDED} of them
   *     (more would tell nothing new)
   * @param prefix what the user typed
   * @return the only match
   * @throws CliException when there is no match, or more than one
   */
  static SessionRef resolve(List<SessionRef> matches, String prefix) {
    return switch (matches.size()) {
      case 0 ->
          throw new CliException(
              "No session has a ref starting with '"
                  + prefix
                  + "'. See the refs with 'sessions list --user USER' or 'sessions dump'.");
      case 1 -> matches.get(0);
      default ->
          throw new CliException(
              "The ref prefix '"
                  + prefix
                  + "' is ambiguous: more than one session's ref starts with it. Type more"
                  + " characters.");
    };
  }
}

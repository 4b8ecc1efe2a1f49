package app.getbodhi.session.cli;

import app.getbodhi.session.SessionSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sessions list --user U [--json]}: the user's live sessions, one per line, each with its
 * ref, when it was created and when a request last used it, so that an operator can tell which
 * browser to revoke. The store keeps no session ids, only refs (one-way hashes of them), so a ref
 * is what there is to show, and it is safe to show: nothing can be loaded with it.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists a user's live sessions with their times.",
      "One line per session: its ref, when it was created, when a request last used it, and"
          + " when it expires (UTC; '-' where the store does not know). A ref names a stored"
          + " session without being a credential: 'sessions revoke REF' deletes one."
    })
final class ListCommand extends StoreCommand {

  private static final String TEXT_ROW = "%-43s  %-24s  %-24s  %s%n";

  @Mixin private UserOption user;

  @Option(
      names = "--json",
      description = "Print a JSON array of " + SummaryJson.FIELDS + " objects instead of a table.")
  private boolean json;

  ListCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws IOException {
    Instant now = Clock.systemUTC().instant();
    return withExistingStore(
        store -> {
          List<SessionSummary> sessions = store.getSessionsForUser(user.user());
          if (json) {
            SummaryJson.write(out(), sessions.iterator(), now);
          } else if (!sessions.isEmpty()) {
            writeTable(out(), sessions);
          }
        });
  }

  private static void writeTable(PrintWriter out, List<SessionSummary> sessions) {
    out.printf(TEXT_ROW, "REF", "CREATED", "LAST ACCESSED", "EXPIRES");
    for (SessionSummary session : sessions) {
      out.printf(
          TEXT_ROW,
          session.ref().value(),
          text(session.createdAt()),
          text(session.lastAccessedAt()),
          session.expiryDate());
    }
  }

  private static String text(Optional<Instant> time) {
    return time.map(Instant::toString).orElse("-");
  }
}

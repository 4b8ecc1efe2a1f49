package app.getbodhi.session.cli;

import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.service.SessionStoreBackend;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
final class ListCommand extends SummaryCommand {

  private static final String TEXT_ROW = "%-43s  %-24s  %-24s  %s%n";

  @Mixin private UserOption user;

  ListCommand(CliContext context) {
    super(context);
  }

  @Override
  Stream<SessionSummary> summaries(SessionStoreBackend store) {
    return store.getSessionsForUser(user.user()).stream();
  }

  /** No sessions, no table: an empty output is what a script checks for. */
  @Override
  void writeTable(PrintWriter out, Iterator<SessionSummary> sessions, Instant now) {
    if (!sessions.hasNext()) {
      return;
    }
    out.printf(TEXT_ROW, "REF", "CREATED", "LAST ACCESSED", "EXPIRES");
    while (sessions.hasNext()) {
      SessionSummary session = sessions.next();
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

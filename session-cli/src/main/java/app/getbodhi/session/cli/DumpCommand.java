package app.getbodhi.session.cli;

import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.service.SessionStoreBackend;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code sessions dump [--json]}: lists every stored session without its data, read a page at a
 * time so a store of any size is listed in bounded memory.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every stored session: ref, expiry, user; never the data.",
      "Expired sessions are included and marked. The store keeps refs (one-way hashes of the"
          + " session ids), not ids: a ref is safe to show, and 'sessions revoke REF' deletes one."
    })
final class DumpCommand extends SummaryCommand {

  /** Sessions read per query. */
  static final int PAGE_SIZE = 1_000;

  private static final String TEXT_ROW = "%-43s  %-24s  %-7s  %s%n";

  DumpCommand(CliContext context) {
    super(context);
  }

  @Override
  Stream<SessionSummary> summaries(SessionStoreBackend store) {
    return store.streamAllSessions(PAGE_SIZE);
  }

  @Override
  void writeTable(PrintWriter out, Iterator<SessionSummary> sessions, Instant now) {
    out.printf(TEXT_ROW, "REF", "EXPIRES", "STATE", "USER");
    long total = 0;
    long live = 0;
    while (sessions.hasNext()) {
      SessionSummary session = sessions.next();
      boolean isLive = session.expiryDate().isAfter(now);
      total++;
      live += isLive ? 1 : 0;
      out.printf(
          TEXT_ROW,
          session.ref().value(),
          session.expiryDate(),
          isLive ? "live" : "expired",
          session.userId().map(Text::printable).orElse("-"));
    }
    out.println(Plural.sessions(total) + " (" + live + " live).");
  }
}

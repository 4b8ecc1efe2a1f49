package app.getbodhi.session.cli;

import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.service.SessionStoreBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * What the commands that list sessions share ({@code sessions dump}, {@code sessions list}): they
 * read session summaries from a store that must already exist and print them as the command's
 * table, or as the JSON array of {@link SummaryJson} when {@code --json} is given. Never an id or
 * the session's data: a summary holds neither.
 */
abstract class SummaryCommand extends StoreCommand {

  @Option(
      names = "--json",
      description = "Print a JSON array of " + SummaryJson.FIELDS + " objects instead of a table.")
  private boolean json;

  SummaryCommand(CliContext context) {
    super(context);
  }

  /**
   * Reads the summaries to print; the stream is closed once they are printed.
   *
   * @param store the store, open
   * @return the summaries, read once
   */
  abstract Stream<SessionSummary> summaries(SessionStoreBackend store);

  /**
   * Writes the command's table of the summaries.
   *
   * @param out the command's output
   * @param sessions the summaries, read once
   * @param now what "expired" is judged by
   */
  abstract void writeTable(PrintWriter out, Iterator<SessionSummary> sessions, Instant now);

  @Override
  public final Integer call() throws IOException {
    Instant now = Clock.systemUTC().instant();
    return withExistingStore(
        store -> {
          try (Stream<SessionSummary> sessions = summaries(store)) {
            if (json) {
              SummaryJson.write(out(), sessions.iterator(), now);
            } else {
              writeTable(out(), sessions.iterator(), now);
            }
          }
        });
  }
}

package app.getbodhi.session.cli;

import app.getbodhi.session.SessionSummary;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;

/**
 * Writes session summaries as a JSON array, the {@code --json} output of {@code sessions dump} and
 * {@code sessions list}: one object per session with {@code ref}, {@code user}, {@code created},
 * {@code lastAccessed} (null when the store does not know), {@code expiry} and {@code expired}.
 * Never an id or the session's data.
 */
final class SummaryJson {

  /** What {@code --json} says it prints, for the options' descriptions. */
  static final String FIELDS = "{ref, user, created, lastAccessed, expiry, expired}";

  private SummaryJson() {}

  /**
   * Writes the array, then a newline.
   *
   * @param out where to write; left open, since it belongs to picocli
   * @param sessions the summaries, read once
   * @param now what "expired" is judged by
   * @throws IOException when the output cannot be written
   */
  static void write(PrintWriter out, Iterator<SessionSummary> sessions, Instant now)
      throws IOException {
    try (JsonGenerator generator =
        new JsonFactory()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .createGenerator(out)
            .useDefaultPrettyPrinter()) {
      generator.writeStartArray();
      while (sessions.hasNext()) {
        SessionSummary session = sessions.next();
        generator.writeStartObject();
        generator.writeStringField("ref", session.ref().value());
        generator.writeStringField("user", session.userId().orElse(null));
        generator.writeStringField("created", text(session.createdAt()));
        generator.writeStringField("lastAccessed", text(session.lastAccessedAt()));
        generator.writeStringField("expiry", session.expiryDate().toString());
        generator.writeBooleanField("expired", !session.expiryDate().isAfter(now));
        generator.writeEndObject();
      }
      generator.writeEndArray();
    }
    out.println();
  }

  private static String text(Optional<Instant> time) {
    return time.map(Instant::toString).orElse(null);
  }
}

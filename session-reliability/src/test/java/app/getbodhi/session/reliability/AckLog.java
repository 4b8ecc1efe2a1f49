package app.getbodhi.session.reliability;

import app.getbodhi.session.SessionId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link CrashWriter}'s log says the store acknowledged, across all of the children's runs:
 * the version each live session must hold, the sessions that must stay deleted, and the one write
 * that may have been in flight when the last child was killed.
 */
final class AckLog {

  /** Each live session's last acknowledged version. */
  final Map<SessionId, Long> live = new HashMap<>();

  /** Sessions whose deletion (or rotation away) was acknowledged. */
  final Set<SessionId> deleted = new HashSet<>();

  /** How many writes were acknowledged. */
  int acknowledged;

  /** How many children reported their start. */
  int starts;

  /**
   * The writes recorded but not acknowledged, one at most per killed child: each may or may not
   * have happened, and no later write touches its sessions (each child writes only its own).
   */
  final List<String[]> inFlight = new ArrayList<>();

  private AckLog() {}

  /**
   * Reads a log; a last line without its newline (cut by the kill) is a record not yet made.
   *
   * @param file the log
   * @return what it says
   * @throws IOException when it cannot be read
   */
  static AckLog read(Path file) throws IOException {
    AckLog log = new AckLog();
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    List<String> lines = text.lines().toList();
    int complete = text.isEmpty() || text.endsWith("\n") ? lines.size() : lines.size() - 1;
    Optional<String[]> pending = Optional.empty();
    for (String line : lines.subList(0, complete)) {
      String[] parts = line.split(" ");
      switch (parts[0]) {
        case "S" -> {
          log.starts++;
          // a new child: the write the previous one had in flight stays unknown for good
          pending.ifPresent(log.inFlight::add);
          pending = Optional.empty();
        }
        case "I" -> pending = Optional.of(parts);
        case "A" -> {
          log.apply(pending.orElseThrow());
          pending = Optional.empty();
          log.acknowledged++;
        }
        default -> throw new IllegalStateException("Not a log record: " + line);
      }
    }
    pending.ifPresent(log.inFlight::add);
    return log;
  }

  private static SessionId id(String text) {
    return SessionId.parse(text).orElseThrow();
  }

  private void apply(String[] write) {
    switch (write[1]) {
      case "C", "U" -> live.put(id(write[2]), Long.parseLong(write[3]));
      case "R" -> {
        live.remove(id(write[2]));
        deleted.add(id(write[2]));
        live.put(id(write[3]), Long.parseLong(write[4]));
      }
      case "D" -> {
        live.remove(id(write[2]));
        deleted.add(id(write[2]));
      }
      default -> throw new IllegalStateException("Not a write: " + String.join(" ", write));
    }
  }

  /**
   * The states a session may be in: its acknowledged one, and, when a write in flight touches it,
   * the state that write would have left.
   *
   * @param id the session
   * @return versions it may hold; empty means absent
   */
  Set<Optional<Long>> allowed(SessionId id) {
    Set<Optional<Long>> states = new HashSet<>();
    states.add(Optional.ofNullable(live.get(id)));
    for (String[] write : inFlight) {
      if (write[2].equals(id.value())) {
        switch (write[1]) {
          case "C", "U" -> states.add(Optional.of(Long.parseLong(write[3])));
          default -> states.add(Optional.empty());
        }
      } else if (write[1].equals("R") && write[3].equals(id.value())) {
        states.add(Optional.of(Long.parseLong(write[4])));
      }
    }
    return states;
  }

  /**
   * Every session the log names: live, deleted, and those of the write in flight.
   *
   * @return the ids
   */
  Set<SessionId> named() {
    Set<SessionId> ids = new HashSet<>(live.keySet());
    ids.addAll(deleted);
    for (String[] write : inFlight) {
      ids.add(id(write[2]));
      if (write[1].equals("R")) {
        ids.add(id(write[3]));
      }
    }
    return ids;
  }
}

package app.getbodhi.session.reliability;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One application node in its own JVM, for {@link TwoNodeClusterTest}: it connects as a production
 * node does, from the environment ({@code BODHI_SESSION_DB_URL}, {@code BODHI_DEPLOYMENT=cluster};
 * the URL stays out of the command line, where other users of the machine could read it), runs the
 * commands given as arguments in order, and prints one line per command.
 *
 * <pre>
 * save ID USER KEY VALUE   -> saved ID
 * load ID                  -> load ID present {KEY=VALUE, user_id=USER} | load ID absent
 * count USER               -> count USER N
 * clear USER               -> clear USER N
 * </pre>
 *
 * Exits with 0 when every command ran, 2 after printing {@code error KIND} when the store failed.
 */
public final class ClusterNode {

  private ClusterNode() {}

  public static void main(String[] args) {
    try (DefaultSessionService node =
        DefaultSessionService.connect(SettingService.fromEnvironment())) {
      int i = 0;
      while (i < args.length) {
        String command = args[i++];
        switch (command) {
          case "save" -> {
            SessionId id = parse(args[i++]);
            Map<String, Object> data =
                Map.of(SessionRecord.USER_ID_KEY, args[i++], args[i++], args[i++]);
            node.getSessionStore()
                .save(new SessionRecord(id, data, Instant.now().plusSeconds(3600)));
            System.out.println("saved " + id.value());
          }
          case "load" -> {
            SessionId id = parse(args[i++]);
            System.out.println(
                "load "
                    + id.value()
                    + node.getSessionStore()
                        .load(id)
                        .map(record -> " present " + new TreeMap<>(record.data()))
                        .orElse(" absent"));
          }
          case "count" -> {
            String user = args[i++];
            System.out.println("count " + user + " " + node.countSessionsForUser(user));
          }
          case "clear" -> {
            String user = args[i++];
            System.out.println("clear " + user + " " + node.clearSessionsForUser(user));
          }
          default -> throw new IllegalArgumentException("unknown command " + command);
        }
      }
    } catch (SessionServiceException e) {
      System.out.println("error " + e.kind());
      System.exit(2);
    }
  }

  private static SessionId parse(String text) {
    return SessionId.parse(text)
        .orElseThrow(() -> new IllegalArgumentException("not a session id"));
  }
}

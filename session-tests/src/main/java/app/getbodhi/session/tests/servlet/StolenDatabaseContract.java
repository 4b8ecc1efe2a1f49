package app.getbodhi.session.tests.servlet;

import static app.getbodhi.session.tests.servlet.FilterHarness.COOKIE;
import static app.getbodhi.session.tests.servlet.FilterHarness.LOGOUT_EVERYWHERE;
import static app.getbodhi.session.tests.servlet.FilterHarness.cookie;
import static app.getbodhi.session.tests.servlet.FilterHarness.script;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.tck.TestDatabase;
import app.getbodhi.session.tests.Leaks;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The threat sealed storage answers, over real HTTP through the servlet filter: someone walks away
 * with everything the database holds (a copied file, a backup, a read-only SQL account) and must
 * not find a session id to replay nor the data an application kept in its sessions. Run once per
 * backend: a subclass says how to open the harness on the database and the store, and how a thief
 * reads everything the database holds (for SQLite the raw file and its write-ahead log as they are;
 * for PostgreSQL every column of every row, and the server's files when the test may read them).
 *
 * <p>Six browsers, each with its own cookie jar, visit (which creates a session), log in (which
 * rotates the id), store unique marker tokens, such as OAuth tokens, in several attributes, visit
 * again changing them, rotate once more, and then some log out, and one user logs out everywhere.
 * The thief comes after every step; every session cookie value any browser ever received and every
 * marker is then searched for, in every encoding {@link Leaks} knows. So that a broken search or a
 * workload that stored nothing cannot pass, the test also finds what is meant to stay readable (the
 * {@code user_id} column), reads the markers back over HTTP, and finds a cookie and a marker
 * planted into the stolen bytes.
 *
 * <pre>{@code
 * class SqliteStolenDatabaseTest extends StolenDatabaseContract {
 *   protected FilterHarness newHarness() {
 *     return FilterHarness.on(SqliteFixture.at(file)).stores(SqliteSessionStore::new);
 *   }
 *   protected List<Stolen> stealWhileRunning(TestDatabase database) { ... }
 * }
 * }</pre>
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class StolenDatabaseContract {

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One piece of what a thief took.
   *
   * @param where what it is, such as {@code after the logins: sessions.sqlite-wal}
   * @param bytes its content
   */
  public record Stolen(String where, byte[] bytes) {

    /** Checks that nothing is null. */
    public Stolen {
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * Returns the same bytes under a name that also says when they were taken.
     *
     * @param when such as {@code after the logins}
     * @return the renamed piece
     */
    public Stolen taken(String when) {
      return new Stolen(when + ": " + where, bytes);
    }

    /** Names the piece and its size, not its content. */
    @Override
    public String toString() {
      return "Stolen[" + where + ", " + bytes.length + " bytes]";
    }
  }

  /**
   * Builds the harness for one test on a fresh, empty database, not yet open; it is closed after
   * the test, and the database with it.
   *
   * @return such as {@code
   *     FilterHarness.on(SqliteFixture.at(file)).stores(SqliteSessionStore::new)}
   */
  protected abstract FilterHarness newHarness();

  /**
   * Called once the database is migrated and the server runs, before the first request: where a
   * thief's reading is incremental (PostgreSQL's write-ahead log), this is where it starts.
   *
   * @param database the database
   * @throws Exception when the database cannot be read
   */
  protected void beforeWorkload(TestDatabase database) throws Exception {}

  /**
   * Reads everything the database holds now, while the server runs, without changing what the store
   * left: for SQLite, the WAL is read as it is, never checkpointed first.
   *
   * @param database the database
   * @return the pieces, each named by where it came from
   * @throws Exception when something cannot be read
   */
  protected abstract List<Stolen> stealWhileRunning(TestDatabase database) throws Exception;

  /**
   * Reads what is left once every store and pool on the database is closed. By default nothing: a
   * PostgreSQL test schema is dropped with its harness.
   *
   * @return the pieces
   * @throws Exception when something cannot be read
   */
  protected List<Stolen> stealAfterClose() throws Exception {
    return List.of();
  }

  private FilterHarness http;

  @BeforeEach
  void openHarness() {
    http = newHarness().open();
    http.startTest();
  }

  @AfterEach
  void closeHarness() throws Exception {
    // closing twice is harmless: the harness forgets what it closed
    http.finishTest();
    http.close();
  }

  @Test
  void no_cookie_value_or_marker_appears_anywhere_in_what_the_database_holds() throws Exception {
    Workload workload = new Workload();

    List<Stolen> whileRunning = workload.run();

    workload.assertItReallyRan();
    assertThat(whileRunning).as("what the thief took while the server ran").isNotEmpty();
    assertNothingLeaked(whileRunning, workload);
    assertTheThiefGotWhatIsMeantToBeReadable(whileRunning, workload.users());
    assertTheSearchFindsWhatIsPlantedIn(largest(whileRunning), workload);

    http.finishTest();
    http.close();
    List<Stolen> afterClose = stealAfterClose();
    assertNothingLeaked(afterClose, workload);
    if (!afterClose.isEmpty()) {
      // the sessions still live when the store closed are in the closed database: the one user
      // still logged in is readable there, so these are the real files
      assertTheThiefGotWhatIsMeantToBeReadable(afterClose, List.of(workload.alice));
    }
  }

  /** Asserts that no piece holds any cookie value or marker, listing every leak found. */
  private static void assertNothingLeaked(List<Stolen> stolen, Workload workload) {
    List<String> leaks = new ArrayList<>();
    for (Stolen piece : stolen) {
      for (String leak : Leaks.find(piece.bytes(), workload.cookies, workload.markers)) {
        leaks.add(piece.where() + ": " + leak);
      }
    }
    assertThat(leaks)
        .as(
            "session cookie values (%d) or markers (%d) found in what a thief reads"
                + " (%d pieces, %d bytes)",
            workload.cookies.size(),
            workload.markers.size(),
            stolen.size(),
            stolen.stream().mapToLong(piece -> piece.bytes().length).sum())
        .isEmpty();
  }

  /**
   * Asserts that the thief's bytes hold what the threat model leaves readable, each user id in the
   * {@code user_id} column: had the steal read nothing real, or the search been broken, this fails.
   */
  private static void assertTheThiefGotWhatIsMeantToBeReadable(
      List<Stolen> stolen, List<String> users) {
    for (String user : users) {
      assertThat(stolen)
          .as("pieces holding user %s, stored in the clear", user)
          .anySatisfy(
              piece ->
                  assertThat(Leaks.find(piece.bytes(), List.of(), List.of(user))).isNotEmpty());
    }
  }

  /**
   * Plants the first cookie value's hex and raw bytes and the first marker into a copy of a real
   * piece, and asserts that the search finds exactly those: the search works on these very bytes.
   */
  private static void assertTheSearchFindsWhatIsPlantedIn(Stolen piece, Workload workload) {
    String cookie = workload.cookies.iterator().next();
    String marker = workload.markers.iterator().next();
    byte[] id = Base64.getUrlDecoder().decode(cookie);
    byte[] hex = HexFormat.of().formatHex(id).getBytes(StandardCharsets.US_ASCII);
    byte[] text = marker.getBytes(StandardCharsets.UTF_8);
    byte[] planted = piece.bytes().clone();
    int third = planted.length / 3;
    assertThat(third).as("room to plant in %s", piece).isGreaterThan(hex.length + text.length);
    System.arraycopy(hex, 0, planted, third, hex.length);
    System.arraycopy(id, 0, planted, 2 * third, id.length);
    System.arraycopy(text, 0, planted, planted.length - text.length, text.length);

    List<String> found = Leaks.find(planted, workload.cookies, workload.markers);

    assertThat(found)
        .as("what the search finds planted in %s", piece)
        .containsExactlyInAnyOrder(
            "cookie #0 ("
                + cookie.substring(0, Leaks.SHOWN)
                + "…) as hex (lower case) at byte "
                + third,
            "cookie #0 ("
                + cookie.substring(0, Leaks.SHOWN)
                + "…) as raw bytes at byte "
                + 2 * third,
            "marker #0 (…"
                + marker.substring(marker.length() - Leaks.SHOWN)
                + ") as text at byte "
                + (planted.length - text.length));
  }

  private static Stolen largest(List<Stolen> stolen) {
    return stolen.stream()
        .max((a, b) -> Integer.compare(a.bytes().length, b.bytes().length))
        .orElseThrow();
  }

  /** A unique token as an application might keep one: {@code marker-} and 24 random characters. */
  private static String marker() {
    byte[] random = new byte[18];
    RANDOM.nextBytes(random);
    return "marker-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** A user id unique to the test, readable in the {@code user_id} column as it is meant to be. */
  private static String user(String name) {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return name + "-" + HexFormat.of().formatHex(random);
  }

  /**
   * The browsing of six browsers, and what a thief takes after each step. Everything any browser
   * received as a session cookie, and every marker stored, is recorded for the search.
   */
  private final class Workload {

    private final Set<String> cookies = new LinkedHashSet<>();
    private final Set<String> markers = new LinkedHashSet<>();
    private final String alice = user("alice");
    private final String bob = user("bob");
    private final String carol = user("carol");
    private final List<Browser> browsers = new ArrayList<>();
    private final List<Stolen> stolen = new ArrayList<>();
    private String aliceToken;
    private String anonymousCart;

    private Workload() {
      for (int i = 0; i < 6; i++) {
        browsers.add(new Browser("browser " + i));
      }
    }

    private List<String> users() {
      return List.of(alice, bob, carol);
    }

    /** Runs every step, the thief reading after each; returns all it read. */
    private List<Stolen> run() throws Exception {
      beforeWorkload(http.database());
      Browser aliceLaptop = browsers.get(0);
      Browser alicePhone = browsers.get(1);
      Browser bobs = browsers.get(2);
      Browser carolLaptop = browsers.get(3);
      Browser carolPhone = browsers.get(4);
      Browser anonymous = browsers.get(5);

      for (Browser browser : browsers) {
        String cart = marker();
        browser.visit("set:visits:1", "set:cart:" + cart);
        if (browser == anonymous) {
          anonymousCart = cart;
        }
      }
      steal("after the first visits");

      List<Browser> loggingIn = List.of(aliceLaptop, alicePhone, bobs, carolLaptop, carolPhone);
      List<String> whom = List.of(alice, alice, bob, carol, carol);
      for (int i = 0; i < loggingIn.size(); i++) {
        String token = marker();
        loggingIn
            .get(i)
            .visit(
                "set:user_id:" + whom.get(i),
                "rotate",
                "set:access_token:" + token,
                "set:refresh_token:" + marker());
        if (i == 0) {
          aliceToken = token;
        }
      }
      steal("after the logins");

      http.clock().advance(Duration.ofMinutes(20));
      for (Browser browser : browsers) {
        browser.visit("set:visits:2", "set:csrf:" + marker());
      }
      steal("after more visits");

      http.clock().advance(Duration.ofMinutes(20));
      for (Browser browser : browsers) {
        browser.visit("rotate", "set:visits:3", "set:note:" + marker());
      }
      steal("after one more rotation");

      assertThat(alicePhone.visit("invalidate").line("invalidated")).isEqualTo("true");
      assertThat(bobs.visit("invalidate").line("invalidated")).isEqualTo("true");
      steal("after two logouts");

      assertThat(carolLaptop.request(LOGOUT_EVERYWHERE).line("cleared")).isEqualTo("2");
      assertThat(carolPhone.visit("peek").line("session")).isEqualTo("none");
      steal("after carol logged out everywhere");

      return stolen;
    }

    /**
     * Asserts that the workload did what it says: every cookie is a session id, one per new session
     * and rotation; the two sessions left are stored, one with its user in {@code user_id}; and the
     * markers read back over HTTP, so they were stored, sealed, not lost.
     */
    private void assertItReallyRan() {
      // sizes and counts only: a failure must not print a session id
      assertThat(cookies.size())
          .as("cookies received: 6 new sessions, 5 logins, 6 rotations")
          .isEqualTo(17);
      assertThat(cookies.stream().filter(value -> SessionId.parse(value).isEmpty()).count())
          .as("cookie values that are no session id")
          .isZero();
      assertThat(markers.size()).as("markers stored").isEqualTo(6 + 10 + 6 + 6);
      assertThat(http.database().sessionRowCount()).as("sessions left").isEqualTo(2);
      assertThat(
              http.database()
                  .queryStrings("SELECT user_id FROM bodhi_sessions WHERE user_id IS NOT NULL"))
          .containsExactly(alice);
      assertThat(browsers.get(0).visit("get:access_token").line("access_token"))
          .isEqualTo(aliceToken);
      assertThat(browsers.get(5).visit("get:cart").line("cart")).isEqualTo(anonymousCart);
    }

    private void steal(String when) throws Exception {
      for (Stolen piece : stealWhileRunning(http.database())) {
        stolen.add(piece.taken(when));
      }
    }

    /** A browser: one cookie jar, holding this site's session cookie or nothing. */
    private final class Browser {

      private final String name;
      private String session;

      private Browser(String name) {
        this.name = name;
      }

      /** Runs script commands with the jar's cookie. */
      private Exchange visit(String... commands) {
        for (String command : commands) {
          // a marker is always a command's last part: all from "marker-" on
          int marker = command.indexOf("marker-");
          if (marker >= 0) {
            markers.add(command.substring(marker));
          }
        }
        return request(script(commands));
      }

      /** Sends a GET with the jar's cookie, keeps what the response sets, checks it succeeded. */
      private Exchange request(String target) {
        Exchange exchange = http.request(target, session == null ? null : cookie(session));
        assertThat(exchange.status()).as("status of a request of %s", name).isEqualTo(200);
        for (SetCookie set : exchange.setCookies()) {
          if (!COOKIE.equals(set.name())) {
            continue;
          }
          if (set.expires()) {
            session = null;
          } else {
            session = set.value();
            cookies.add(session);
          }
        }
        return exchange;
      }
    }
  }
}

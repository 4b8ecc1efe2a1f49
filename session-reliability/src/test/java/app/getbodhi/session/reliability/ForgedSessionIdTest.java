package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.CountingDataSource;
import app.getbodhi.session.web.SessionCookie;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Session cookies an attacker writes: a hundred thousand malformed ones never reach the database
 * (counted on the store's own data source), and well-formed ids that name no session cost one
 * lookup each and are never adopted. (SessionIdTest in session-api parses 100 000 random strings;
 * this drives the session layer on a real store and counts what reaches the database.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ForgedSessionIdTest {

  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private SqliteFixture db;
  private HikariDataSource pool;
  private CountingDataSource counting;
  private SqliteSessionStore store;
  private SessionManagerLayer layer;

  @BeforeEach
  void open() {
    db = SqliteFixture.tempFile();
    try (SqliteSessionStore migrator = SqliteSessionStore.open(db.url())) {
      migrator.migrate();
    }
    pool =
        SqliteSessionStore.dataSource(
            db.url(), SessionStoreConfig.defaults().withMaximumPoolSize(2));
    counting = new CountingDataSource(pool);
    store = new SqliteSessionStore(counting, SessionStoreConfig.defaults());
    layer = SessionManagerLayer.of(store);
  }

  @AfterEach
  void close() {
    pool.close();
    db.close();
  }

  /** A hundred thousand cookie values that are not session ids, of many kinds. */
  static List<String> hostileCookieValues() {
    Random random = new Random(20260601L);
    String valid = SessionId.generate().value();
    List<String> values = new ArrayList<>();
    values.add("");
    values.add(" ");
    values.add("null");
    values.add("x".repeat(1_000_000));
    values.add(valid + "=");
    values.add(valid.substring(0, 21) + "=");
    values.add(" " + valid.substring(1));
    values.add(valid.substring(1) + "\u0000");
    values.add(valid.substring(0, 20) + "\r\n");
    values.add("' OR '1'='1' --AAAAAAAA");
    values.add("'; DROP TABLE bodhi_sessions;");
    values.add("%27%20OR%201%3D1%20--%20AAAAA");
    values.add("😀".repeat(11)); // 22 UTF-16 chars
    while (values.size() < 100_000) {
      int kind = random.nextInt(10);
      String value =
          switch (kind) {
            case 0 -> randomFrom(BASE64URL, 21, random); // one short
            case 1 -> randomFrom(BASE64URL, 23, random); // one long
            case 2 -> withOneCharFrom("+/=.~!*$ ", random); // standard base64 and other punctuation
            case 3 ->
                withOneCharFrom("ÄéßΩж中٣０ｇ\u00A0\u2028", random); // look-alike letters, digits
            case 4 -> nonCanonical(random); // the last char's unused bits set
            case 5 -> randomFrom(BASE64URL, 22 + 4 * (1 + random.nextInt(4)), random);
            case 6 -> randomUnicode(22, random);
            case 7 -> randomUnicode(random.nextInt(64), random);
            case 8 -> randomFrom(BASE64URL, 23 + random.nextInt(2_000), random);
            default -> randomFrom(BASE64URL, random.nextInt(22), random);
          };
      values.add(value);
    }
    return values;
  }

  private static String randomFrom(String alphabet, int length, Random random) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static String withOneCharFrom(String bad, Random random) {
    char[] text = SessionId.generate().value().toCharArray();
    text[random.nextInt(text.length)] = bad.charAt(random.nextInt(bad.length()));
    return new String(text);
  }

  private static String nonCanonical(Random random) {
    // a 22-char text carries 132 bits; for 16 bytes the last char's 4 low bits must be zero
    String text = SessionId.generate().value();
    int last = BASE64URL.indexOf(text.charAt(21));
    int bits = 1 + random.nextInt(15);
    return text.substring(0, 21) + BASE64URL.charAt((last & ~0x0F) | bits);
  }

  private static String randomUnicode(int length, Random random) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) (1 + random.nextInt(0xFFFE)));
    }
    return text.toString();
  }

  @Test
  void a_hundred_thousand_malformed_cookies_never_reach_the_database_and_never_start_a_session() {
    List<String> values = hostileCookieValues();
    assertThat(values).hasSize(100_000);
    counting.reset();

    int parsed = 0;
    for (String value : values) {
      if (SessionId.parse(value).isPresent()) {
        parsed++;
      }
      SessionHandle request = new SessionHandle(layer, List.of(value, value, value, value));
      assertThat(request.requestedId()).isEmpty();
      assertThat(request.exists()).isFalse();
      assertThat(request.commit(false))
          .as("no cookie for a request that made no session")
          .isEmpty();
    }

    assertThat(parsed).as("cookie values that parsed as ids").isZero();
    assertThat(counting.connections()).as("connections borrowed").isZero();
    assertThat(counting.statements()).as("statements sent").isEmpty();
    assertThat(db.sessionRowCount()).isZero();
  }

  @Test
  void well_formed_ids_that_name_no_session_cost_one_lookup_each_and_are_never_adopted() {
    counting.reset();
    Set<String> issued = new HashSet<>();
    int forgeries = 500;

    for (int i = 0; i < forgeries; i++) {
      String forged = SessionId.generate().value();
      SessionHandle request = new SessionHandle(layer, List.of(forged));
      assertThat(request.exists()).isFalse();
      request.put("cart", "book");
      Optional<SessionCookie> cookie = request.commit(false);
      assertThat(cookie).isPresent();
      assertThat(cookie.get().value()).as("the issued id").isNotEqualTo(forged);
      assertThat(store.load(SessionId.parse(forged).orElseThrow())).isEmpty();
      issued.add(cookie.get().value());
    }

    // per request: one lookup of the forged id, one insert of the new session; plus the check
    assertThat(counting.statements()).hasSize(3 * forgeries);
    assertThat(issued).hasSize(forgeries);
    assertThat(db.sessionRowCount()).isEqualTo(forgeries);
  }

  @Test
  void of_many_forged_cookies_in_one_request_at_most_three_are_looked_up() {
    List<String> cookies = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      cookies.add(SessionId.generate().value());
    }
    counting.reset();

    assertThat(new SessionHandle(layer, cookies).exists()).isFalse();

    assertThat(counting.statements()).as("lookups for 1 000 same-named cookies").hasSize(3);
  }

  /**
   * Someone who can write the database but holds no session id can still plant a row in the form
   * the store used before sealing: an id of their choosing as the key, plain JSON as the data. Keys
   * are refs now, so a cookie with that id looks up its ref, finds nothing, and the row is never
   * adopted; nor is a row under the id's ref whose data is plain JSON, as it is not sealed.
   */
  @Test
  void a_row_planted_in_the_old_form_with_the_id_as_its_key_is_never_loaded_by_that_id() {
    SessionId planted = SessionId.generate();
    byte[] json = "{\"user_id\":\"admin\",\"roles\":[\"admin\"]}".getBytes(StandardCharsets.UTF_8);
    Instant expiry = Instant.now().plus(1, ChronoUnit.DAYS);
    db.insertSessionRow(planted, json, expiry);
    SessionId plantedUnderItsRef = SessionId.generate();
    db.execute(
        "INSERT INTO bodhi_sessions (id, data, expiry_date, user_id) VALUES (?, ?, ?, ?)",
        store.refOf(plantedUnderItsRef).value(),
        json,
        expiry.toEpochMilli(),
        "admin");
    counting.reset();

    for (SessionId id : List.of(planted, plantedUnderItsRef)) {
      assertThat(store.load(id)).as("loaded by the store").isEmpty();
      SessionHandle request = new SessionHandle(layer, List.of(id.value()));
      assertThat(request.exists()).as("a request with the planted id").isFalse();
      assertThat(request.get(SessionRecord.USER_ID_KEY)).isEmpty();
      request.put("cart", "book");
      assertThat(request.commit(false).orElseThrow().value())
          .as("the id issued instead")
          .isNotEqualTo(id.value());
    }

    // per id: the store's load, the request's lookup, the new session's insert
    assertThat(counting.statements()).hasSize(6);
    assertThat(store.getSessionsForUser("admin").stream().map(SessionSummary::ref).toList())
        .as("the row under a ref is listed, as any row is, but opens as nothing")
        .containsExactly(store.refOf(plantedUnderItsRef));
    assertThat(store.streamAllSessions(1000).toList())
        .as("the row under an id is not even listed: it is not one of the store's rows")
        .hasSize(3);
    assertThat(db.sessionRowCount()).isEqualTo(4);
  }
}

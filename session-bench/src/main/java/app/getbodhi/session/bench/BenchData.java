package app.getbodhi.session.bench;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SettingService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.session.FindByIndexNameSessionRepository;

/**
 * The sessions the benchmarks use, the same for every implementation: deterministic ids (so the JMH
 * forks find the rows the main process loaded) and five attributes: the user (our {@code user_id},
 * Spring's principal-name index attribute), a CSRF token, a role list, the login time and a visit
 * counter.
 */
final class BenchData {

  /** Sessions of the point benchmarks' table. */
  static final int POINT_ROWS = 10_000;

  /** Every user has this many sessions. */
  static final int SESSIONS_PER_USER = 5;

  static final long POINT_SEED = 0x5EED_0001L;
  static final long UNKNOWN_SEED = 0x5EED_0002L;
  static final long SCALE_SEED = 0x5EED_0003L;

  static final Duration EXPIRY = Duration.ofDays(14);

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private BenchData() {}

  /** The i-th id of a series. */
  static String idValue(long series, long i) {
    byte[] bytes = new byte[SessionId.BYTES];
    new SplittableRandom(series * 0x9E37_79B9_7F4A_7C15L + i).nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  static SessionId id(long series, long i) {
    return SessionId.parse(idValue(series, i)).orElseThrow();
  }

  static String user(long i) {
    return "user-" + (i / SESSIONS_PER_USER);
  }

  private static String csrf(long i) {
    byte[] bytes = new byte[32];
    new SplittableRandom(i ^ 0xC5AFL).nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  /** Our session data: {@code user_id} and four more attributes. */
  static Map<String, Object> data(String user, long i, long visits) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", user);
    data.put("csrf_token", csrf(i));
    data.put("roles", List.of("user", "editor"));
    data.put("login_at", 1_760_000_000_000L + i);
    data.put("visits", visits);
    return data;
  }

  /** The same attributes as Spring Session keeps them: the user under the principal-name key. */
  static Map<String, Object> springAttributes(String user, long i, long visits) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user);
    attributes.put("csrf_token", csrf(i));
    attributes.put("roles", new ArrayList<>(List.of("user", "editor")));
    attributes.put("login_at", 1_760_000_000_000L + i);
    attributes.put("visits", visits);
    return attributes;
  }

  /** The JSON our store writes for data (a plain Jackson map, as the store's SessionJson). */
  static byte[] json(Map<String, Object> data) {
    try {
      return JSON.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads session JSON into a map: not the store's parser (it is not public) but the same library
   * on the same bytes, a proxy for what a load pays to parse.
   */
  static Map<String, Object> parse(byte[] json) throws IOException {
    return JSON.readValue(json, MAP);
  }

  static Instant liveExpiry() {
    // as the session layer stores a session it writes: its timeout plus the access granularity,
    // so that a request reading it within the granularity writes nothing, as in production
    return Instant.now().plus(EXPIRY).plus(SettingService.DEFAULT_ACCESS_GRANULARITY);
  }
}

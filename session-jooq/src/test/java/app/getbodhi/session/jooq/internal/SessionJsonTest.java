package app.getbodhi.session.jooq.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON codec of the data column: what it reads back and what it refuses. */
class SessionJsonTest {

  private final SessionJson json = new SessionJson(1 << 20);

  private Map<String, Object> read(String text) {
    return json.read(text.getBytes(StandardCharsets.UTF_8));
  }

  @Nested
  class Reading {

    @Test
    void integersBecomeLongAndThoseBeyondLongBigInteger() {
      assertThat(read("{\"small\":7,\"big\":9223372036854775807,\"huge\":9223372036854775808}"))
          .containsEntry("small", 7L)
          .containsEntry("big", Long.MAX_VALUE)
          .containsEntry("huge", new BigInteger("9223372036854775808"));
    }

    @Test
    void fractionsBecomeDouble() {
      assertThat(read("{\"a\":1.5,\"b\":-2e-3}"))
          .containsEntry("a", 1.5)
          .containsEntry("b", -0.002);
    }

    @Test
    void objectsKeepTheirKeyOrderAndArraysTheirElementOrder() {
      Map<String, Object> data = read("{\"z\":1,\"a\":{\"y\":[3,\"x\",null,true,false]},\"m\":[]}");
      assertThat(data.keySet()).containsExactly("z", "a", "m");
      assertThat(data.get("a"))
          .isEqualTo(Map.of("y", java.util.Arrays.asList(3L, "x", null, true, false)));
      assertThat(data.get("m")).isEqualTo(List.of());
    }

    @Test
    void escapedAndNonAsciiStringsComeBackExactly() {
      assertThat(read("{\"s\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00 ü\"}"))
          .containsEntry("s", "a\"b\\c\né😀 ü");
    }

    @Test
    void whatIsWrittenReadsBackAsTheRecordsCanonicalData() {
      SplittableRandom random = new SplittableRandom(20261128);
      for (int i = 0; i < 200; i++) {
        Map<String, Object> data = randomObject(random, 0);
        Map<String, Object> canonical =
            new SessionRecord(SessionId.generate(), data, Instant.EPOCH).data();
        assertThat(json.read(json.write(canonical))).as("case %d", i).isEqualTo(canonical);
      }
    }
  }

  @Nested
  class Refusing {

    @ParameterizedTest
    @ValueSource(
        strings = {"[]", "null", "1", "\"text\"", "", "{\"a\":", "{\"a\" 1}", "{}{}", "{} x"})
    void anythingButExactlyOneJsonObjectIsASerializationError(String stored) {
      assertThatThrownBy(() -> read(stored))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION))
          .hasMessageContaining("not a JSON object");
    }

    @Test
    void theMessageDoesNotQuoteTheStoredData() {
      assertThatThrownBy(() -> read("{\"token\":\"s3cr3t-value\" trailing-s3cr3t}"))
          .isInstanceOf(SessionServiceException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }
  }

  private static Map<String, Object> randomObject(SplittableRandom random, int depth) {
    Map<String, Object> object = new LinkedHashMap<>();
    int size = random.nextInt(depth == 0 ? 8 : 4);
    for (int i = 0; i < size; i++) {
      object.put(randomString(random), randomValue(random, depth + 1));
    }
    return object;
  }

  private static Object randomValue(SplittableRandom random, int depth) {
    int kind = random.nextInt(depth > 4 ? 7 : 9);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        return random.nextLong();
      case 3:
        return random.nextInt(1000);
      case 4:
        return new BigInteger(80, new java.util.Random(random.nextLong()))
            .add(BigInteger.TWO.pow(70));
      case 5:
        return random.nextDouble() * 1e6 - 5e5;
      case 6:
        return randomString(random);
      case 7:
        List<Object> list = new ArrayList<>();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
          list.add(randomValue(random, depth + 1));
        }
        return list;
      default:
        return randomObject(random, depth);
    }
  }

  private static String randomString(SplittableRandom random) {
    String alphabet = "abcXYZ09 _-\"\\/\n\t\u00e9\u4e2d\ud83d\ude00\u0001";
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      int at = random.nextInt(alphabet.length());
      char c = alphabet.charAt(at);
      if (Character.isHighSurrogate(c)) {
        text.append(c).append(alphabet.charAt(at + 1));
      } else if (!Character.isLowSurrogate(c)) {
        text.append(c);
      }
    }
    return text.toString();
  }
}

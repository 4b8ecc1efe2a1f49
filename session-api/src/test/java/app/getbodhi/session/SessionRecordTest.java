package app.getbodhi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionRecordTest {

  private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

  private static SessionRecord record(Map<String, Object> data) {
    return new SessionRecord(SessionId.generate(), data, EXPIRY);
  }

  private static void assertRefused(Map<String, Object> data, String fragment) {
    assertThatThrownBy(() -> record(data))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION))
        .hasMessageContaining(fragment);
  }

  @Nested
  class Data {

    @Test
    void jsonValuesAreAcceptedAndNumbersBecomeLongOrDouble() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("int", 1);
      data.put("short", (short) 2);
      data.put("float", 1.5f);
      data.put("big", new BigInteger("123"));
      data.put("huge", new BigInteger("123456789012345678901234567890"));
      data.put("decimal", new BigDecimal("0.25"));
      data.put("null", null);
      data.put("list", List.of(1, "two", false));

      SessionRecord record = record(data);

      assertThat(record.data())
          .containsEntry("int", 1L)
          .containsEntry("short", 2L)
          .containsEntry("float", 1.5d)
          .containsEntry("big", 123L)
          .containsEntry("huge", new BigInteger("123456789012345678901234567890"))
          .containsEntry("decimal", 0.25d)
          .containsEntry("null", null)
          .containsEntry("list", List.of(1L, "two", false));
    }

    @Test
    void aNonJsonValueIsRefusedNamingItsKey() {
      assertRefused(Map.of("when", Instant.EPOCH), "'when'");
    }

    @Test
    void aNestedNonJsonValueIsRefusedNamingItsPath() {
      assertRefused(Map.of("a", Map.of("b", List.of(1, new Object()))), "'a.b[1]'");
    }

    @Test
    void aNonStringMapKeyIsRefused() {
      assertRefused(Map.of("a", Map.of(1, "x")), "keys must be strings");
    }

    @Test
    void nonFiniteNumbersAreRefused() {
      assertRefused(Map.of("nan", Double.NaN), "non-finite");
    }

    @Test
    void aBigDecimalThatADoubleCannotHoldIsRefusedRatherThanRounded() {
      assertRefused(Map.of("money", new BigDecimal("0.1000000000000000000001")), "'money'");
    }

    @Test
    void aSelfReferencingMapIsRefusedInsteadOfOverflowingTheStack() {
      Map<String, Object> loop = new HashMap<>();
      loop.put("self", loop);
      assertRefused(loop, "nests deeper");
    }

    @Test
    void theRecordIsACopyThatCannotBeChanged() {
      Map<String, Object> data = new HashMap<>();
      List<Object> list = new ArrayList<>(List.of(1));
      data.put("list", list);
      SessionRecord record = record(data);

      data.put("later", 1);
      list.add(2);

      assertThat(record.data()).containsOnlyKeys("list").containsEntry("list", List.of(1L));
      assertThatThrownBy(() -> record.data().put("x", 1))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class UserId {

    @Test
    void aStringUserIdIsTheUser() {
      assertThat(record(Map.of("user_id", "alice")).userId()).contains("alice");
    }

    @Test
    void aUserIdWithANulCharacterIsRefused() {
      assertRefused(Map.of("user_id", "al\0ice"), "NUL");
    }

    @Test
    void aUserIdWithALoneSurrogateIsRefusedButAPairIsKept() {
      assertRefused(Map.of("user_id", "a\uD83D"), "surrogate");
      assertRefused(Map.of("user_id", "\uDE00b"), "surrogate");
      assertThat(record(Map.of("user_id", "smile\uD83D\uDE00")).userId()).contains("smile😀");
    }

    @Test
    void settingAnUnstorableUserIdAsAValueIsRefusedAtOnce() {
      assertThatThrownBy(() -> SessionRecord.toJsonValue("user_id", "x\0"))
          .isInstanceOf(SessionServiceException.class);
      assertThat(SessionRecord.toJsonValue("other", "x\0")).isEqualTo("x\0");
    }

    @Test
    void aMissingOrNonStringUserIdIsNoUser() {
      assertThat(record(Map.of()).userId()).isEmpty();
      assertThat(record(Map.of("user_id", 7)).userId()).isEmpty();
    }
  }

  @Test
  void expiryIsKeptToTheMillisecond() {
    SessionRecord record =
        new SessionRecord(
            SessionId.generate(), Map.of(), Instant.parse("2030-01-01T00:00:00.123456789Z"));
    assertThat(record.expiryDate()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
  }

  @Test
  void anExpiryNoColumnCanHoldIsRefused() {
    assertThatThrownBy(() -> new SessionRecord(SessionId.generate(), Map.of(), Instant.MAX))
        .isInstanceOf(SessionServiceException.class)
        .hasMessageContaining("expiryDate");
  }

  @Test
  void toStringShowsKeysButNeitherValuesNorTheWholeId() {
    SessionRecord record = record(Map.of("secret", "hunter2"));

    assertThat(record.toString())
        .contains("secret")
        .doesNotContain("hunter2")
        .doesNotContain(record.id().value());
  }

  @Nested
  class Timeout {

    @Test
    void everyIntOfSecondsIsATimeoutAndZeroOrLessMeansNever() {
      for (int seconds : new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}) {
        assertThat(SessionRecord.checkMaxInactiveInterval(Duration.ofSeconds(seconds)))
            .isEqualTo(Duration.ofSeconds(seconds));
      }
      SessionRecord never =
          new SessionRecord(
              SessionId.generate(),
              Map.of(),
              SessionRecord.MAX_EXPIRY,
              Optional.empty(),
              Optional.empty(),
              Optional.of(Duration.ofSeconds(Integer.MIN_VALUE)),
              0);
      assertThat(never.neverTimesOut()).isTrue();
    }

    @Test
    void aTimeoutBeyondAnIntOfSecondsIsRefusedNamingTheSetting() {
      assertThatThrownBy(
              () ->
                  SessionRecord.checkMaxInactiveInterval(
                      Duration.ofSeconds(Integer.MAX_VALUE + 1L)))
          .isInstanceOf(SessionServiceException.class)
          .hasMessageContaining("SessionRecord.maxInactiveInterval")
          .hasMessageContaining("2147483647");
      assertThatThrownBy(
              () ->
                  SessionRecord.checkMaxInactiveInterval(
                      Duration.ofSeconds(Integer.MIN_VALUE - 1L)))
          .isInstanceOf(SessionServiceException.class);
    }
  }
}

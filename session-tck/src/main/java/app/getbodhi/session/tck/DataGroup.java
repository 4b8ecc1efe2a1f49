package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static app.getbodhi.session.tck.StoreContractKit.TTL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "session data" group of {@link SessionStoreContract}, run per backend as its {@code Data}
 * class: JSON data round-trips exactly; a value that is not JSON and data over the size limit are
 * refused, and what was stored stays.
 */
abstract class DataGroup extends ContractGroup {

  @Test
  void nested_json_data_round_trips_exactly() {
    Map<String, Object> deep = new LinkedHashMap<>();
    Object nested = "bottom";
    for (int level = 0; level < 30; level++) {
      nested = level % 2 == 0 ? List.of(nested) : Map.of("level" + level, nested);
    }
    deep.put("deep", nested);
    Map<String, Object> data =
        mapOf(
            "user_id", "alice",
            "profile",
                mapOf(
                    "name", "Zoë 佐藤 🙂",
                    "roles", List.of("admin", "editor"),
                    "addresses",
                        List.of(
                            mapOf("city", "Zürich", "zip", 8001L, "primary", true),
                            mapOf("city", "東京", "zip", null, "primary", false))),
            "longs", List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE),
            "doubles", List.of(0.1, -2.5e-10, 1.0e300, Double.MAX_VALUE, Double.MIN_VALUE, -0.0),
            "booleans", List.of(true, false),
            "nulls", Arrays.asList(null, "x", null),
            "nothing", null,
            "empty map", Map.of(),
            "empty list", List.of(),
            "empty string", "",
            "escapes", "quote \" backslash \\ newline \n tab \t nul \u0000 line-sep \u2028",
            "keys with.dots and [brackets]", Map.of("", "empty key"),
            "deep", deep);
    SessionRecord saved = kit().session(data);

    kit().store().save(saved);
    SessionRecord loaded = kit().store().load(saved.id()).orElseThrow();

    assertThat(content(loaded)).isEqualTo(content(saved));
    assertThat(loaded.data()).isEqualTo(saved.data());
    assertThat(((List<?>) loaded.data().get("longs")).get(2)).isEqualTo(Long.MAX_VALUE);
    assertThat(((List<?>) loaded.data().get("doubles")).get(5)).isEqualTo(-0.0);
    assertThat(loaded.data()).containsEntry("nothing", null);
  }

  @Test
  void integers_beyond_the_range_of_long_round_trip_exactly() {
    BigInteger big = new BigInteger("123456789012345678901234567890");
    SessionRecord saved =
        kit().session(mapOf("big", big, "negative", big.negate(), "list", List.of(big)));

    kit().store().save(saved);

    assertThat(content(kit().store().load(saved.id()))).contains(content(saved));
  }

  @Test
  void integral_numbers_come_back_as_longs_and_fractions_as_doubles() {
    SessionRecord saved =
        kit().session(mapOf("int", 7, "short", (short) 3, "float", 0.5f, "one", 1.0));

    kit().store().save(saved);

    assertThat(kit().store().load(saved.id()).orElseThrow().data())
        .containsEntry("int", 7L)
        .containsEntry("short", 3L)
        .containsEntry("float", 0.5)
        .containsEntry("one", 1.0);
  }

  @Test
  void a_non_json_value_is_refused_with_a_serialization_error_when_the_record_is_built() {
    SessionId id = SessionId.generate();
    Instant expiry = kit().clock.instant().plus(TTL);

    assertThatThrownBy(() -> new SessionRecord(id, mapOf("widget", new Object()), expiry))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION);
              assertThat(e.getMessage()).contains("widget").doesNotContain(id.value());
            });
    assertThatThrownBy(
            () ->
                new SessionRecord(
                    id, mapOf("list", List.of(Map.of("inner", new Object()))), expiry))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));
    assertThat(kit().store().load(id)).isEmpty();
  }

  @Test
  void data_over_the_size_limit_is_refused_and_the_stored_session_is_unchanged() {
    ManagedSessionStore limited = kit().openMigrated(kit().config().withMaxDataBytes(2048));
    SessionRecord original = kit().session(mapOf("user_id", "alice", "note", "small"));
    limited.save(original);
    SessionRecord oversized =
        new SessionRecord(
            original.id(),
            mapOf("user_id", "bob", "note", "x".repeat(3000)),
            original.expiryDate());

    assertThatThrownBy(() -> limited.save(oversized))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION);
              assertThat(e.getMessage()).doesNotContain(original.id().value());
            });

    assertThat(content(limited.load(original.id()))).contains(content(original));
    assertThat(kit().database.userIdColumn(kit().ref(original))).isEqualTo("alice");
  }

  @Test
  void data_over_the_size_limit_is_refused_by_create_and_nothing_is_stored() {
    ManagedSessionStore limited = kit().openMigrated(kit().config().withMaxDataBytes(2048));
    SessionRecord oversized = kit().session(Map.of("note", "x".repeat(3000)));

    assertThatThrownBy(() -> limited.create(oversized))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));

    assertThat(kit().database.sessionRowCount()).isZero();
  }

  @Test
  void data_within_the_size_limit_is_stored() {
    ManagedSessionStore limited = kit().openMigrated(kit().config().withMaxDataBytes(2048));
    SessionRecord fits = kit().session(Map.of("note", "x".repeat(1500)));

    limited.save(fits);

    assertThat(content(limited.load(fits.id()))).contains(content(fits));
  }
}

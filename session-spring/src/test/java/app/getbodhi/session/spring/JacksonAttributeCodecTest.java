package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * The codecs that turn attributes that are not JSON into JSON: what Spring Security keeps in a
 * session round-trips, and whatever would not come back as it went in is refused when it is set,
 * naming the attribute, rather than failing (or changing type) on a later request.
 */
class JacksonAttributeCodecTest {

  private final JacksonAttributeCodec codec = JacksonAttributeCodec.withSecurityModules();

  /** A type of the application's that Spring Security's Jackson modules do not allow. */
  record Basket(String item, int count) {}

  private Object roundTrip(Object value) {
    Object stored = codec.encode("attr", value);
    assertThat(SessionRecord.isJsonValue(stored)).isTrue();
    return codec.decode("attr", stored);
  }

  @Test
  void a_security_context_comes_back_equal() {
    SecurityContext context = BodhiSessionRepositoryContract.loggedIn("alice");

    assertThat(roundTrip(context)).isEqualTo(context);
  }

  @Test
  void spring_securitys_csrf_token_comes_back_equal() {
    DefaultCsrfToken token = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "token-value");

    assertThat(roundTrip(token))
        .isInstanceOfSatisfying(
            DefaultCsrfToken.class, read -> assertThat(read.getToken()).isEqualTo("token-value"));
  }

  @Test
  void a_date_comes_back_equal() {
    Date date = new Date(1_700_000_000_000L);

    assertThat(roundTrip(date)).isEqualTo(date);
  }

  @Test
  void an_encoded_value_is_one_key_map_holding_json_text() {
    Object stored = codec.encode("attr", new Date(0));

    assertThat(stored)
        .asInstanceOf(
            org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
        .containsOnlyKeys(JacksonAttributeCodec.ENCODED_KEY);
  }

  @Test
  void a_json_value_that_only_looks_encoded_but_holds_no_text_is_returned_as_it_is() {
    Map<String, Object> stored = Map.of(JacksonAttributeCodec.ENCODED_KEY, 42);

    assertThat(codec.decode("attr", stored)).isEqualTo(stored);
    assertThat(codec.decode("attr", "plain")).isEqualTo("plain");
  }

  @Test
  void an_application_type_the_mapper_does_not_allow_is_refused_when_set() {
    assertThatThrownBy(() -> codec.encode("basket", new Basket("secret-apples", 3)))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION))
        .hasMessageContaining("'basket'")
        .hasMessageContaining(Basket.class.getName())
        .hasMessageContaining("SessionAttributeCodec")
        // the value is session data: its content stays out of the message
        .hasMessageNotContaining("secret-apples");
  }

  @Test
  void a_value_that_would_come_back_as_another_type_is_refused_when_set() {
    // Jackson writes these as a number or a string without a type id: they would be read back as
    // a Double or a String, and the application's cast would fail on a later request
    assertThatThrownBy(() -> codec.encode("seen", Instant.EPOCH))
        .isInstanceOf(SessionServiceException.class)
        .hasMessageContaining("'seen'");
    assertThatThrownBy(() -> codec.encode("token", UUID.randomUUID()))
        .isInstanceOf(SessionServiceException.class)
        .hasMessageContaining("'token'");
  }

  @Test
  void decoding_a_stored_value_of_a_type_no_longer_allowed_fails_naming_the_attribute() {
    Map<String, Object> stored =
        Map.of(
            JacksonAttributeCodec.ENCODED_KEY,
            "{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"true\"]}");

    assertThatThrownBy(() -> codec.decode("planted", stored))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION))
        .hasMessageContaining("'planted'")
        .hasMessageNotContaining("ProcessBuilder");
  }

  @Test
  void the_json_only_codec_refuses_every_value_that_is_not_json_naming_the_attribute() {
    JsonOnlyAttributeCodec jsonOnly = new JsonOnlyAttributeCodec();

    assertThatThrownBy(() -> jsonOnly.encode("basket", new Basket("apples", 1)))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION))
        .hasMessageContaining("'basket'");
    assertThat(jsonOnly.decode("cart", "apples")).isEqualTo("apples");
  }
}

package app.getbodhi.session.spring;

import app.getbodhi.session.SessionServiceException;
import java.util.Map;
import java.util.Objects;
import org.springframework.security.jackson.SecurityJacksonModules;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes attributes that are not JSON with Jackson and Spring Security's Jackson modules ({@link
 * SecurityJacksonModules}), whose type validator allows Spring Security's own types (the {@code
 * SecurityContext}, authentication tokens, {@code User}, authorities) and the usual collections,
 * and refuses every other class when reading: a hostile row cannot make the application instantiate
 * an arbitrary class. A value is accepted only if it reads back as its own class (see {@link
 * #encode}), so a type the validator refuses fails when it is set, not on a later request. An
 * encoded value is stored as {@code {"@bodhi.encoded": "<JSON text with type ids>"}}.
 *
 * <p>Thread-safe: the mapper is immutable. Jackson's own exceptions are not chained into the errors
 * this throws: their messages quote the JSON, which is session data.
 */
public final class JacksonAttributeCodec implements SessionAttributeCodec {

  /** The one key of a map that stands for an encoded value. */
  public static final String ENCODED_KEY = "@bodhi.encoded";

  private final JsonMapper mapper;

  /**
   * A codec with Spring Security's modules, loaded from this class's class loader.
   *
   * @return the codec
   */
  public static JacksonAttributeCodec withSecurityModules() {
    ClassLoader loader = JacksonAttributeCodec.class.getClassLoader();
    return new JacksonAttributeCodec(
        JsonMapper.builder().addModules(SecurityJacksonModules.getModules(loader)).build());
  }

  /**
   * A codec over a mapper an application configured (its own type validator, its own modules).
   *
   * @param mapper a mapper that writes type ids and validates them on reading
   */
  public JacksonAttributeCodec(JsonMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * {@inheritDoc}
   *
   * <p>The value is read back before it is accepted, and must come back as an object of its own
   * class: a type the mapper's validator refuses (an application's own class) would otherwise be
   * stored and then fail every request that reads it, and a type Jackson writes without a type id
   * (an {@code Instant}, a {@code UUID}) would come back as a number or a string. Both are refused
   * here, when the attribute is set, naming it.
   */
  @Override
  public Object encode(String name, Object value) {
    String text;
    try {
      text = mapper.writeValueAsString(value);
    } catch (JacksonException e) {
      throw refused(name, value, "write (" + e.getClass().getSimpleName() + ")");
    }
    Object back;
    try {
      back = mapper.readValue(text, Object.class);
    } catch (JacksonException e) {
      throw refused(name, value, "read back (" + e.getClass().getSimpleName() + ")");
    }
    if (back == null || back.getClass() != value.getClass()) {
      throw refused(
          name,
          value,
          "read back as the same type (it comes back as "
              + (back == null ? "null" : back.getClass().getName())
              + ")");
    }
    return Map.of(ENCODED_KEY, text);
  }

  /** Names the attribute and the value's class, never the value: it is session data. */
  private static SessionServiceException refused(String name, Object value, String what) {
    return AttributeErrors.notStorable(
        name,
        value,
        "neither a JSON value nor a type the session's Jackson mapper can " + what,
        " that allows the type");
  }

  @Override
  public Object decode(String name, Object stored) {
    if (!(stored instanceof Map<?, ?> map)
        || map.size() != 1
        || !(map.get(ENCODED_KEY) instanceof String text)) {
      return stored;
    }
    try {
      return mapper.readValue(text, Object.class);
    } catch (JacksonException e) {
      throw AttributeErrors.attribute(
          name,
          "could not be read back ("
              + e.getClass().getSimpleName()
              + "): its type is not one the session's Jackson mapper allows.");
    }
  }
}

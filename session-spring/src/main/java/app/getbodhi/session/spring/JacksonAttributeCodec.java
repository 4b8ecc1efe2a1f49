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
 * an arbitrary class. An encoded value is stored as {@code {"@bodhi.encoded": "<JSON text with type
 * ids>"}}.
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

  @Override
  public Object encode(String name, Object value) {
    try {
      return Map.of(ENCODED_KEY, mapper.writeValueAsString(value));
    } catch (JacksonException e) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "Session attribute '"
              + name
              + "' holds a "
              + value.getClass().getName()
              + ", which is neither a JSON value nor a type the session's Jackson mapper can"
              + " write ("
              + e.getClass().getSimpleName()
              + "); store JSON values, or configure a SessionAttributeCodec bean.");
    }
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
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "Session attribute '"
              + name
              + "' could not be read back ("
              + e.getClass().getSimpleName()
              + "): its type is not one the session's Jackson mapper allows.");
    }
  }
}

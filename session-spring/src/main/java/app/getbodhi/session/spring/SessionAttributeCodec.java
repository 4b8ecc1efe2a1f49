package app.getbodhi.session.spring;

/**
 * Turns session attributes that are not JSON values (a Spring Security {@code SecurityContext}, for
 * one) into JSON values the store can keep, and back. The store keeps JSON only, so whatever an
 * application puts in its session either is JSON already (or a JDK value type the session tags
 * itself) or goes through this codec. The auto-configured codecs never use Java serialization;
 * {@link SerializingAttributeCodec} is the opt-in that does, behind an allow-list.
 *
 * <p>Implementations are thread-safe. Replace the auto-configured one ({@link
 * JacksonAttributeCodec}) with a bean of this type to allow more types.
 */
public interface SessionAttributeCodec {

  /**
   * Encodes a value for the store.
   *
   * @param name the attribute's name, for messages
   * @param value a value that is not a JSON value
   * @return a JSON value (String, Number, Boolean, List, Map with String keys) standing for it
   * @throws app.getbodhi.session.SessionServiceException of kind SERIALIZATION, naming the
   *     attribute, when the value cannot be encoded; nothing is stored then
   */
  Object encode(String name, Object value);

  /**
   * Decodes a stored value: what {@link #encode} made back into the object, any other JSON value as
   * it is.
   *
   * @param name the attribute's name
   * @param stored the JSON value as stored
   * @return the attribute's value
   * @throws app.getbodhi.session.SessionServiceException of kind SERIALIZATION when an encoded
   *     value cannot be decoded (a type no longer allowed, say)
   */
  Object decode(String name, Object stored);
}

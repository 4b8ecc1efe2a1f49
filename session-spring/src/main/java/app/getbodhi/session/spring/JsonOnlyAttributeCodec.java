package app.getbodhi.session.spring;

/**
 * The codec when Jackson 3 or Spring Security is missing: JSON values only, anything else refused
 * with a message naming the attribute.
 */
public final class JsonOnlyAttributeCodec implements SessionAttributeCodec {

  @Override
  public Object encode(String name, Object value) {
    throw AttributeErrors.notStorable(name, value, "not a JSON value", "");
  }

  @Override
  public Object decode(String name, Object stored) {
    return stored;
  }
}

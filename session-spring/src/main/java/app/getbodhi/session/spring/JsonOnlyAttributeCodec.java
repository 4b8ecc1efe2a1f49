package app.getbodhi.session.spring;

import app.getbodhi.session.SessionServiceException;

/**
 * The codec when Jackson 3 or Spring Security is missing: JSON values only, anything else refused
 * with a message naming the attribute.
 */
public final class JsonOnlyAttributeCodec implements SessionAttributeCodec {

  @Override
  public Object encode(String name, Object value) {
    throw new SessionServiceException(
        SessionServiceException.Kind.SERIALIZATION,
        "Session attribute '"
            + name
            + "' holds a "
            + value.getClass().getName()
            + ", which is not a JSON value; store JSON values (String, Number, Boolean, List, Map),"
            + " or configure a SessionAttributeCodec bean.");
  }

  @Override
  public Object decode(String name, Object stored) {
    return stored;
  }
}

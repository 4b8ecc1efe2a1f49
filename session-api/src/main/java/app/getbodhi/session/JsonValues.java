package app.getbodhi.session;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that session data is made of JSON values and copies it into an immutable, canonical form,
 * so that what a store reads back equals what was saved.
 *
 * <p>Canonical numbers: every integral number becomes a {@link Long} (or a {@link BigInteger}
 * beyond the range of long), every fractional one a finite {@link Double}. A {@link BigDecimal}
 * that a double cannot hold exactly is refused rather than silently rounded.
 */
final class JsonValues {

  /**
   * How deep maps and lists may nest. Deep enough for any real session, shallow enough that a
   * cyclic or hostile structure is refused instead of overflowing the stack.
   */
  static final int MAX_DEPTH = 64;

  private JsonValues() {}

  static Map<String, Object> copyObject(Map<?, ?> map, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw tooDeep(path);
    }
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new SessionServiceException(
            SessionServiceException.Kind.SERIALIZATION,
            "Session data at '"
                + path
                + "' has a key of type "
                + typeName(entry.getKey())
                + "; JSON object keys must be strings.");
      }
      copy.put(key, copyValue(entry.getValue(), path.isEmpty() ? key : path + "." + key, depth));
    }
    return Collections.unmodifiableMap(copy);
  }

  static Object copyValue(Object value, String path, int depth) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw refused(path, "a non-finite number (" + d + "), which JSON cannot represent");
      }
      return d;
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
    }
    if (value instanceof BigDecimal dec) {
      double d = dec.doubleValue();
      if (Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(dec) == 0) {
        return d;
      }
      throw refused(path, "a BigDecimal that a double cannot hold exactly; store it as a string");
    }
    if (value instanceof Map<?, ?> map) {
      return copyObject(map, path, depth + 1);
    }
    if (value instanceof List<?> list) {
      if (depth + 1 > MAX_DEPTH) {
        throw tooDeep(path);
      }
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copyValue(list.get(i), path + "[" + i + "]", depth + 1));
      }
      return Collections.unmodifiableList(copy);
    }
    throw refused(
        path,
        "a value of type "
            + typeName(value)
            + "; allowed are String, Number, Boolean, null, List and Map with String keys");
  }

  private static SessionServiceException refused(String path, String what) {
    return new SessionServiceException(
        SessionServiceException.Kind.SERIALIZATION,
        "Session data at '" + path + "' is " + what + ".");
  }

  private static SessionServiceException tooDeep(String path) {
    return new SessionServiceException(
        SessionServiceException.Kind.SERIALIZATION,
        "Session data at '"
            + path
            + "' nests deeper than "
            + MAX_DEPTH
            + " levels (or refers to itself); flatten it.");
  }

  private static String typeName(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}

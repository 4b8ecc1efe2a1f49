package app.getbodhi.session;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
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

  /**
   * Copies a map of JSON values into its canonical form.
   *
   * @throws SessionServiceException of kind SERIALIZATION naming the path of the first value that
   *     is not JSON
   */
  static Map<String, Object> copyObject(Map<?, ?> map) {
    try {
      return object(map, 1);
    } catch (Refusal refusal) {
      throw refusal.toException();
    }
  }

  /**
   * Copies one value, found at a data key, into its canonical form.
   *
   * @throws SessionServiceException of kind SERIALIZATION naming the path of the first value that
   *     is not JSON
   */
  static Object copyValue(Object value, String key) {
    try {
      return value(value, 1);
    } catch (Refusal refusal) {
      refusal.inside(key);
      throw refusal.toException();
    }
  }

  private static Map<String, Object> object(Map<?, ?> map, int depth) {
    if (depth > MAX_DEPTH) {
      throw Refusal.tooDeep();
    }
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new Refusal(
            "has a key of type " + typeName(entry.getKey()) + "; JSON object keys must be strings");
      }
      try {
        copy.put(key, value(entry.getValue(), depth));
      } catch (Refusal refusal) {
        refusal.inside(key);
        throw refusal;
      }
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object value(Object value, int depth) {
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
        throw Refusal.is("a non-finite number (" + d + "), which JSON cannot represent");
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
      throw Refusal.is("a BigDecimal that a double cannot hold exactly; store it as a string");
    }
    if (value instanceof Map<?, ?> map) {
      return object(map, depth + 1);
    }
    if (value instanceof List<?> list) {
      return list(list, depth + 1);
    }
    throw Refusal.is(
        "a value of type "
            + typeName(value)
            + "; allowed are String, Number, Boolean, null, List and Map with String keys");
  }

  private static List<Object> list(List<?> list, int depth) {
    if (depth > MAX_DEPTH) {
      throw Refusal.tooDeep();
    }
    List<Object> copy = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      try {
        copy.add(value(list.get(i), depth));
      } catch (Refusal refusal) {
        refusal.inside(i);
        throw refusal;
      }
    }
    return Collections.unmodifiableList(copy);
  }

  private static String typeName(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }

  /**
   * A refused value on its way up to the top, collecting the path to it. The path is built only
   * when a value is refused: building it for every value would cost more than the copy itself.
   */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    // String keys and Integer list indexes, outermost first
    private final transient ArrayDeque<Object> path = new ArrayDeque<>();
    private final String what;

    Refusal(String what) {
      super(what, null, false, false);
      this.what = what;
    }

    static Refusal is(String what) {
      return new Refusal("is " + what);
    }

    static Refusal tooDeep() {
      return new Refusal(
          "nests deeper than " + MAX_DEPTH + " levels (or refers to itself); flatten it");
    }

    void inside(Object keyOrIndex) {
      path.addFirst(keyOrIndex);
    }

    SessionServiceException toException() {
      StringBuilder at = new StringBuilder();
      for (Object step : path) {
        if (step instanceof Integer index) {
          at.append('[').append(index).append(']');
        } else {
          if (at.length() > 0) {
            at.append('.');
          }
          at.append(step);
        }
      }
      return new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION, "Session data at '" + at + "' " + what + ".");
    }
  }
}

package app.getbodhi.session.tests.servlet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code Set-Cookie} header as a browser reads it: a name, a value and the attributes, with
 * attribute names in lower case so tests need not care how the server spelled them.
 *
 * @param name the cookie's name
 * @param value the cookie's value, possibly empty
 * @param attributes attribute name (lower case) to value; flags such as {@code httponly} map to the
 *     empty string
 * @param header the header as received
 */
public record SetCookie(String name, String value, Map<String, String> attributes, String header) {

  /** Copies the attributes and checks that nothing is null. */
  public SetCookie {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    Objects.requireNonNull(header, "header");
  }

  /**
   * Parses a {@code Set-Cookie} header value.
   *
   * @param header such as {@code sid=abc; Path=/; HttpOnly; SameSite=Strict}
   * @return the cookie
   * @throws IllegalArgumentException when the first part is not {@code name=value}
   */
  public static SetCookie parse(String header) {
    String[] parts = header.split(";");
    String pair = parts[0].trim();
    int eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("Not a Set-Cookie header: " + header);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.isEmpty()) {
        continue;
      }
      int at = part.indexOf('=');
      String key = (at < 0 ? part : part.substring(0, at)).trim().toLowerCase(Locale.ROOT);
      String val = at < 0 ? "" : part.substring(at + 1).trim();
      if (attributes.put(key, val) != null) {
        throw new IllegalArgumentException("Attribute " + key + " appears twice in: " + header);
      }
    }
    return new SetCookie(
        pair.substring(0, eq).trim(), pair.substring(eq + 1).trim(), attributes, header);
  }

  /**
   * Returns an attribute.
   *
   * @param attribute its name, any case
   * @return its value (empty string for a flag), or empty when the header does not carry it
   */
  public Optional<String> attribute(String attribute) {
    return Optional.ofNullable(attributes.get(attribute.toLowerCase(Locale.ROOT)));
  }

  /**
   * Tells whether the header carries an attribute.
   *
   * @param attribute its name, any case
   * @return whether it is present
   */
  public boolean has(String attribute) {
    return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
  }

  /**
   * Tells whether this cookie tells the browser to drop the cookie: {@code Max-Age=0}.
   *
   * @return whether it expires the cookie
   */
  public boolean expires() {
    return "0".equals(attributes.get("max-age"));
  }

  /** Shows the header without the value, which may be a session id. */
  @Override
  public String toString() {
    return "SetCookie[" + name + "=" + (value.isEmpty() ? "" : "***") + ", " + attributes + "]";
  }
}

package app.getbodhi.session.tests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Searches bytes a thief could read (a database file, a write-ahead log, the rows of a table) for
 * session cookie values and for marker tokens an application stored in its sessions, in every
 * encoding a careless store might have written them in.
 *
 * <p>A cookie value is looked for as text (UTF-8, which for a well-formed id is also its unpadded
 * URL-safe base64), as URL-safe base64 with padding, as standard base64 with and without padding,
 * as lower and upper case hex of the bytes it encodes, and as those raw bytes; a marker as UTF-8
 * text and as lower and upper case hex of that text. What is found is described by kind and
 * position, naming a cookie by its number in the given list and its first {@value #SHOWN}
 * characters only (a test failure must not print a session id), and a marker by its number and its
 * last {@value #SHOWN} characters.
 *
 * <pre>{@code
 * List<String> leaks = Leaks.find(Files.readAllBytes(file), cookies, markers);
 * assertThat(leaks).as("what %s gives away", file.getFileName()).isEmpty();
 * }</pre>
 */
public final class Leaks {

  /** How many leading characters of a cookie value or marker a description shows. */
  public static final int SHOWN = 4;

  /**
   * The shortest needle searched for: shorter ones would match random bytes by chance, and the
   * search indexes needles by their first this many bytes.
   */
  public static final int MIN_NEEDLE = 8;

  private static final HexFormat LOWER = HexFormat.of();
  private static final HexFormat UPPER = HexFormat.of().withUpperCase();

  private Leaks() {}

  /**
   * Finds every cookie value and marker in some bytes.
   *
   * @param haystack the bytes to search
   * @param cookieValues session cookie values, as {@code Set-Cookie} carried them
   * @param markers unique tokens stored in sessions, such as {@code marker-} and 24 random URL-safe
   *     base64 characters
   * @return one description per form found, such as {@code cookie #3 (AbCd…) as hex (lower case) at
   *     byte 1234}; empty when nothing leaked
   * @throws IllegalArgumentException when a value is too short to search for without matching by
   *     chance
   */
  public static List<String> find(
      byte[] haystack, Collection<String> cookieValues, Collection<String> markers) {
    Objects.requireNonNull(haystack, "haystack");
    List<Needle> needles = new ArrayList<>();
    int number = 0;
    for (String value : cookieValues) {
      String name = "cookie #" + number++ + " (" + shown(value) + ")";
      cookieForms(value).forEach((kind, bytes) -> needles.add(new Needle(name, kind, bytes)));
    }
    number = 0;
    for (String marker : markers) {
      String name = "marker #" + number++ + " (…" + last(marker) + ")";
      markerForms(marker).forEach((kind, bytes) -> needles.add(new Needle(name, kind, bytes)));
    }
    return search(haystack, needles);
  }

  /**
   * Returns the forms a cookie value is looked for in, by kind; a form whose bytes equal an earlier
   * one's is left out (for a well-formed id, the text is its unpadded URL-safe base64).
   *
   * @param value the cookie value
   * @return kind to bytes, in a fixed order
   */
  public static Map<String, byte[]> cookieForms(String value) {
    Map<String, byte[]> forms = new LinkedHashMap<>();
    forms.put("text", value.getBytes(StandardCharsets.UTF_8));
    decodeUrlSafe(value)
        .ifPresent(
            bytes -> {
              forms.put("URL-safe base64 without padding", urlSafe(bytes, false));
              forms.put("URL-safe base64 with padding", urlSafe(bytes, true));
              forms.put("standard base64 with padding", ascii(Base64.getEncoder(), bytes));
              forms.put(
                  "standard base64 without padding",
                  ascii(Base64.getEncoder().withoutPadding(), bytes));
              forms.put(
                  "hex (lower case)", LOWER.formatHex(bytes).getBytes(StandardCharsets.UTF_8));
              forms.put(
                  "hex (upper case)", UPPER.formatHex(bytes).getBytes(StandardCharsets.UTF_8));
              forms.put("raw bytes", bytes);
            });
    return distinct(forms);
  }

  /**
   * Returns the forms a marker is looked for in, by kind.
   *
   * @param marker the marker
   * @return kind to bytes, in a fixed order
   */
  public static Map<String, byte[]> markerForms(String marker) {
    byte[] text = marker.getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> forms = new LinkedHashMap<>();
    forms.put("text", text);
    forms.put("hex (lower case)", LOWER.formatHex(text).getBytes(StandardCharsets.UTF_8));
    forms.put("hex (upper case)", UPPER.formatHex(text).getBytes(StandardCharsets.UTF_8));
    return distinct(forms);
  }

  /** Shows the first {@link #SHOWN} characters of a value and an ellipsis, never the rest. */
  private static String shown(String value) {
    return value.substring(0, Math.min(SHOWN, value.length())) + "…";
  }

  /** Shows a marker's last {@link #SHOWN} characters: markers often share a leading prefix. */
  private static String last(String marker) {
    return marker.substring(Math.max(0, marker.length() - SHOWN));
  }

  private static Optional<byte[]> decodeUrlSafe(String value) {
    try {
      return Optional.of(Base64.getUrlDecoder().decode(value));
    } catch (IllegalArgumentException notBase64) {
      // a value that is no base64 has no bytes: only its text can leak
      return Optional.empty();
    }
  }

  private static byte[] urlSafe(byte[] bytes, boolean padded) {
    Base64.Encoder encoder = Base64.getUrlEncoder();
    return ascii(padded ? encoder : encoder.withoutPadding(), bytes);
  }

  private static byte[] ascii(Base64.Encoder encoder, byte[] bytes) {
    return encoder.encodeToString(bytes).getBytes(StandardCharsets.US_ASCII);
  }

  private static Map<String, byte[]> distinct(Map<String, byte[]> forms) {
    Map<String, byte[]> kept = new LinkedHashMap<>();
    forms.forEach(
        (kind, bytes) -> {
          if (kept.values().stream().noneMatch(earlier -> Arrays.equals(earlier, bytes))) {
            kept.put(kind, bytes);
          }
        });
    return kept;
  }

  /**
   * One pass over the haystack: needles are indexed by their first {@link #MIN_NEEDLE} bytes, so a
   * file of many megabytes is searched for hundreds of needles in time linear in its size.
   */
  private static List<String> search(byte[] haystack, List<Needle> needles) {
    Map<Long, List<Needle>> byHead = new HashMap<>();
    for (Needle needle : needles) {
      if (needle.bytes.length < MIN_NEEDLE) {
        throw new IllegalArgumentException(
            needle.name
                + " is too short as "
                + needle.kind
                + " to search for: "
                + needle.bytes.length
                + " bytes");
      }
      byHead.computeIfAbsent(head(needle.bytes, 0), head -> new ArrayList<>()).add(needle);
    }
    Map<Needle, Integer> firstHit = new LinkedHashMap<>();
    for (int at = 0; at + MIN_NEEDLE <= haystack.length; at++) {
      List<Needle> candidates = byHead.get(head(haystack, at));
      if (candidates == null) {
        continue;
      }
      for (Needle needle : candidates) {
        if (!firstHit.containsKey(needle) && matches(haystack, at, needle.bytes)) {
          firstHit.put(needle, at);
        }
      }
    }
    List<String> found = new ArrayList<>();
    firstHit.forEach(
        (needle, at) -> found.add(needle.name + " as " + needle.kind + " at byte " + at));
    return found;
  }

  private static long head(byte[] bytes, int at) {
    long head = 0;
    for (int i = 0; i < MIN_NEEDLE; i++) {
      head = (head << 8) | (bytes[at + i] & 0xFF);
    }
    return head;
  }

  private static boolean matches(byte[] haystack, int at, byte[] needle) {
    return at + needle.length <= haystack.length
        && Arrays.equals(haystack, at, at + needle.length, needle, 0, needle.length);
  }

  /** One form of one value; identity, not content, tells needles apart. */
  private static final class Needle {
    private final String name;
    private final String kind;
    private final byte[] bytes;

    private Needle(String name, String kind, byte[] bytes) {
      this.name = name;
      this.kind = kind;
      this.bytes = bytes;
    }
  }
}

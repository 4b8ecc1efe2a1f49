package app.getbodhi.session.spring;

import app.getbodhi.session.SessionServiceException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The JDK value types an application keeps in its session as they are, stored as text with a tag so
 * that each comes back as an object of its own class: {@code byte[]}, the boxed numbers a JSON
 * number would turn into a {@code Long} or a {@code Double} ({@code Integer}, {@code Short}, {@code
 * Byte}, {@code Float}, {@code BigInteger}, {@code BigDecimal}), {@code Character}, {@code UUID},
 * {@code Locale}, {@code URI}, {@code java.util.Date} and the {@code java.time} values. {@code
 * String}, {@code Boolean}, {@code Long} and {@code Double} need no tag: JSON keeps them exactly.
 *
 * <p>Only the top-level value is tagged: inside a {@code List} or a {@code Map} (stored as JSON),
 * numbers come back as {@code Long} or {@code Double}. A stored value is {@code {"@bodhi.jdk":
 * [tag, text]}}. Parsing text builds no object but the named value type, so a hostile row can make
 * this class build nothing else. Stateless and thread-safe.
 */
final class JdkValues {

  /** The one key of a map that stands for a tagged JDK value. */
  static final String KEY = "@bodhi.jdk";

  /** One value type: its tag, how it is written and how it is read. */
  private record Type(String tag, Class<?> type, Function<Object, String> write, Reader read) {}

  @FunctionalInterface
  private interface Reader {
    Object read(String text) throws Exception;
  }

  private static final List<Type> TYPES =
      List.of(
          exact(
              "bytes",
              byte[].class,
              v -> Base64.getEncoder().encodeToString((byte[]) v),
              t -> Base64.getDecoder().decode(t)),
          exact("int", Integer.class, String::valueOf, Integer::valueOf),
          exact("short", Short.class, String::valueOf, Short::valueOf),
          exact("byte", Byte.class, String::valueOf, Byte::valueOf),
          exact("float", Float.class, String::valueOf, Float::valueOf),
          exact("char", Character.class, String::valueOf, JdkValues::character),
          exact("biginteger", BigInteger.class, String::valueOf, BigInteger::new),
          exact("bigdecimal", BigDecimal.class, String::valueOf, BigDecimal::new),
          exact("uuid", UUID.class, String::valueOf, UUID::fromString),
          exact("locale", Locale.class, v -> ((Locale) v).toLanguageTag(), Locale::forLanguageTag),
          exact("uri", URI.class, String::valueOf, URI::new),
          exact(
              "date",
              Date.class,
              v -> String.valueOf(((Date) v).getTime()),
              t -> new Date(Long.parseLong(t))),
          exact("instant", Instant.class, String::valueOf, Instant::parse),
          exact("localdate", LocalDate.class, String::valueOf, LocalDate::parse),
          exact("localtime", LocalTime.class, String::valueOf, LocalTime::parse),
          exact("localdatetime", LocalDateTime.class, String::valueOf, LocalDateTime::parse),
          exact("offsetdatetime", OffsetDateTime.class, String::valueOf, OffsetDateTime::parse),
          exact("zoneddatetime", ZonedDateTime.class, String::valueOf, ZonedDateTime::parse),
          exact("duration", Duration.class, String::valueOf, Duration::parse),
          exact("period", Period.class, String::valueOf, Period::parse),
          exact("year", Year.class, String::valueOf, Year::parse),
          exact("yearmonth", YearMonth.class, String::valueOf, YearMonth::parse),
          exact("monthday", MonthDay.class, String::valueOf, MonthDay::parse),
          // ZoneId's classes (ZoneRegion, ZoneOffset) are not public; ZoneId.of gives each back
          new Type("zone", ZoneId.class, v -> ((ZoneId) v).getId(), ZoneId::of));

  private static Type exact(
      String tag, Class<?> type, Function<Object, String> write, Reader read) {
    return new Type(tag, type, write, read);
  }

  private JdkValues() {}

  private static Character character(String text) {
    if (text.length() != 1) {
      throw new IllegalArgumentException("not one character");
    }
    return text.charAt(0);
  }

  private static Optional<Type> typeOf(Object value) {
    for (Type type : TYPES) {
      boolean matches =
          type.type() == ZoneId.class ? value instanceof ZoneId : type.type() == value.getClass();
      if (matches) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * Encodes a value of one of the types this class keeps.
   *
   * @param value the value, not null
   * @return the stored form, or empty when the value is of another type
   */
  static Optional<Object> encode(Object value) {
    return typeOf(value).map(type -> Map.of(KEY, List.of(type.tag(), type.write().apply(value))));
  }

  /**
   * Tells whether a stored value is one this class wrote.
   *
   * @param stored a stored JSON value
   * @return whether it is a tagged value
   */
  static boolean isEncoded(Object stored) {
    return stored instanceof Map<?, ?> map && map.size() == 1 && map.containsKey(KEY);
  }

  /**
   * Decodes a tagged value.
   *
   * @param name the attribute's name, for the message
   * @param stored a value {@link #isEncoded} accepts
   * @return the value
   * @throws SessionServiceException of kind SERIALIZATION, naming the attribute, when the tag is
   *     unknown or the text does not parse; the message quotes neither (they are session data)
   */
  static Object decode(String name, Object stored) {
    if (((Map<?, ?>) stored).get(KEY) instanceof List<?> pair
        && pair.size() == 2
        && pair.get(0) instanceof String tag
        && pair.get(1) instanceof String text) {
      for (Type type : TYPES) {
        if (type.tag().equals(tag)) {
          try {
            return type.read().read(text);
          } catch (Exception e) {
            throw unreadable(name, "its text is not a " + type.type().getSimpleName());
          }
        }
      }
      throw unreadable(name, "its type tag is unknown");
    }
    throw unreadable(name, "it is not a tagged pair");
  }

  private static SessionServiceException unreadable(String name, String why) {
    return AttributeErrors.unreadable(name, "tagged JDK value", why);
  }
}

package app.getbodhi.session;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations in settings: {@code 300s}, {@code 5m}, {@code 1h}, {@code PT5M}, {@code off}. A
 * number needs its unit: {@code 300} alone could mean seconds or minutes, and a guess that is off
 * by a factor of 60 goes unnoticed until sessions pile up, so it is refused with an example.
 */
final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?");

  private Durations() {}

  /**
   * Parses a duration setting that may be turned off.
   *
   * @param setting the setting's name, for the message
   * @param value the text
   * @return the duration; zero for {@code off}, {@code none}, {@code disabled} or {@code 0}
   * @throws SessionServiceException of kind CONFIGURATION when the text is not a duration
   */
  static Duration parse(String setting, String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.equals("off") || text.equals("none") || text.equals("disabled")) {
      return Duration.ZERO;
    }
    Matcher simple = SIMPLE.matcher(text);
    if (simple.matches() && simple.group(2) == null) {
      long amount = Long.parseLong(simple.group(1));
      if (amount == 0) {
        // zero is zero in every unit: the documented way to say off
        return Duration.ZERO;
      }
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          setting
              + " needs a unit, but is '"
              + simple.group(1)
              + "': write "
              + amount
              + "s for seconds or "
              + amount
              + "m for minutes (for example 300s or 5m), or off.");
    }
    return parseWithUnit(value)
        .orElseThrow(
            () ->
                InvalidSetting.mustBe(
                    setting, "a duration such as 300s, 5m, 1h or PT5M, or off", value));
  }

  /**
   * Parses a duration setting that cannot be turned off, such as a lifetime: a number needs its
   * unit, and {@code off} is no value. Every refusal says {@code expected}, whose examples must be
   * values the caller accepts.
   *
   * @param setting the setting's name, for the message
   * @param value the text
   * @param expected what the value must be, worded to follow "must be", with accepted examples
   * @return the duration
   * @throws SessionServiceException of kind CONFIGURATION when the text is not a duration with a
   *     unit
   */
  static Duration parseRequired(String setting, String value, String expected) {
    return parseWithUnit(value).orElseThrow(() -> InvalidSetting.mustBe(setting, expected, value));
  }

  /** A number with its unit, or a non-negative ISO-8601 duration; empty for anything else. */
  private static Optional<Duration> parseWithUnit(String value) {
    Matcher simple = SIMPLE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (simple.matches()) {
      String unit = simple.group(2);
      if (unit == null) {
        return Optional.empty();
      }
      long amount = Long.parseLong(simple.group(1));
      return Optional.of(
          switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
          });
    }
    try {
      Duration parsed = Duration.parse(value.trim());
      return parsed.isNegative() ? Optional.empty() : Optional.of(parsed);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}

package app.getbodhi.session.jooq;

import app.getbodhi.session.spi.DatabaseUrls;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * A session URL split into what a JDBC driver needs: a JDBC URL that holds no credentials, and
 * driver properties that hold the rest. The password only ever sits in {@link #properties()}, so
 * neither HikariCP nor Flyway, which log the JDBC URL, can print it. A backend's URL class extends
 * this with its parsing (see {@link ServerUrl} and {@link UrlProblems}) and what else its URL
 * names.
 *
 * <p>Immutable and thread-safe; {@link #toString()} hides every password-like value.
 */
public abstract class DriverUrl {

  private final String jdbcUrl;
  private final Properties properties;
  private final String redactedUrl;

  /**
   * For a backend's URL class.
   *
   * @param jdbcUrl the URL to hand to the driver, without user or password
   * @param properties the driver properties, credentials included; copied
   * @param redactedUrl the URL as given, password hidden, as {@link UrlProblems#shownUrl()} shows
   *     it
   */
  protected DriverUrl(String jdbcUrl, Properties properties, String redactedUrl) {
    this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    this.properties = new Properties();
    this.properties.putAll(Objects.requireNonNull(properties, "properties"));
    this.redactedUrl = Objects.requireNonNull(redactedUrl, "redactedUrl");
  }

  /**
   * Returns the URL to hand to the driver: no user, no password.
   *
   * @return a JDBC URL
   */
  public final String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Returns the driver properties, credentials included. The caller gets a copy it may change.
   *
   * @return the driver's property names to values
   */
  public final Properties properties() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }

  /**
   * Returns the user name, when the URL names one.
   *
   * @return the user
   */
  public final Optional<String> user() {
    return Optional.ofNullable(properties.getProperty("user"));
  }

  /**
   * Returns the URL as given, with its password hidden, for messages and logs.
   *
   * @return the redacted URL
   */
  public final String redactedUrl() {
    return redactedUrl;
  }

  /** Shows the JDBC URL and the property names, with every password-like value hidden. */
  @Override
  public String toString() {
    StringJoiner shown = new StringJoiner(", ", "{", "}");
    for (String name : new TreeSet<>(properties.stringPropertyNames())) {
      boolean secret = name.toLowerCase(Locale.ROOT).contains("password");
      shown.add(name + "=" + (secret ? DatabaseUrls.MASK : properties.getProperty(name)));
    }
    return getClass().getSimpleName() + "[" + jdbcUrl + ", " + shown + "]";
  }
}

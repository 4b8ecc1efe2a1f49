package app.getbodhi.session;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings from environment variables, where a JVM system property of the same name wins. Values
 * are read on each call, so a system property set at run time is seen.
 */
public final class EnvironmentSettingService implements SettingService {

  private final Map<String, String> environment;

  /** Reads the process environment. */
  public EnvironmentSettingService() {
    this(System.getenv());
  }

  /**
   * Reads the given environment, for tests that must not touch the real one.
   *
   * @param environment variable names to values
   */
  public EnvironmentSettingService(Map<String, String> environment) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
  }

  @Override
  public Optional<String> getSetting(String key) {
    String property = System.getProperty(key);
    return property != null ? Optional.of(property) : Optional.ofNullable(environment.get(key));
  }

  @Override
  public String toString() {
    return "EnvironmentSettingService";
  }
}

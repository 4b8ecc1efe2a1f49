package app.getbodhi.session;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Settings from a fixed map: for tests and for applications that read configuration elsewhere. */
public final class MapSettingService implements SettingService {

  private final Map<String, String> settings;

  /**
   * Copies the map.
   *
   * @param settings setting names to values; no null keys or values
   */
  public MapSettingService(Map<String, String> settings) {
    this.settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
  }

  @Override
  public Optional<String> getSetting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /** Lists the keys only: values such as a database URL may hold a password. */
  @Override
  public String toString() {
    return "MapSettingService" + settings.keySet();
  }
}

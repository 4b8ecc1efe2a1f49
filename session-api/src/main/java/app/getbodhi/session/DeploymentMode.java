package app.getbodhi.session;

import java.util.Locale;

/**
 * How the application is deployed, read from {@link SettingService#BODHI_DEPLOYMENT}.
 *
 * <p>{@link #STANDALONE} (the default) runs on one machine and may keep sessions in SQLite. {@link
 * #CLUSTER} runs several nodes that share sessions, so the session database must be PostgreSQL.
 */
public enum DeploymentMode {
  /** One node; any backend. The default. */
  STANDALONE,
  /** Several nodes sharing sessions; PostgreSQL only. */
  CLUSTER;

  /**
   * Parses a setting value, ignoring case and surrounding blanks.
   *
   * @param value {@code standalone} or {@code cluster}
   * @return the mode
   * @throws SessionServiceException of kind CONFIGURATION for any other value; never a silent
   *     default
   */
  public static DeploymentMode parse(String value) {
    String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (DeploymentMode mode : values()) {
      if (mode.settingValue().equals(normalized)) {
        return mode;
      }
    }
    throw InvalidSetting.mustBe(
        SettingService.BODHI_DEPLOYMENT, "'standalone' or 'cluster'", value);
  }

  /**
   * Returns the value this mode has in settings.
   *
   * @return {@code standalone} or {@code cluster}
   */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}

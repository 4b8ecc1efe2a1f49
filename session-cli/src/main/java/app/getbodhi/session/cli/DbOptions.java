package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --db-url} option every command that opens the session store takes. */
public final class DbOptions {

  /** What {@link #adminSettings} sets the background cleanup to. */
  static final String CLEANUP_OFF = "off";

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      converter = OptionValues.DbUrl.class,
      description = {
        "Session database URL, overriding "
            + SettingService.BODHI_SESSION_DB_URL
            + "; before or after the command.",
        "Default: sqlite:$" + SettingService.BODHI_HOME + "/" + SettingService.SESSION_DB_FILE_NAME
      })
  private String dbUrl;

  /**
   * Returns the URL given on the command line; a blank one is refused while parsing, so that a
   * variable that expanded to nothing cannot silently select the default store.
   *
   * @return the URL, or empty when the option was not given
   */
  public Optional<String> dbUrl() {
    return Optional.ofNullable(dbUrl);
  }

  /**
   * Returns these options where the command's own {@code --db-url} was given, else the ones given
   * before the command ({@code bodhi-sessions --db-url URL doctor}).
   *
   * @param beforeCommand the top-level command's options
   * @return the options that hold the URL, if either does
   */
  DbOptions or(DbOptions beforeCommand) {
    return dbUrl().isPresent() ? this : beforeCommand;
  }

  /**
   * Returns the settings with {@code --db-url}, when given, in place of {@link
   * SettingService#BODHI_SESSION_DB_URL}; every other setting is read from {@code base}.
   *
   * @param base the process's settings
   * @return the effective settings
   */
  public SettingService effectiveSettings(SettingService base) {
    return override(base, SettingService.BODHI_SESSION_DB_URL, dbUrl());
  }

  /**
   * Returns the {@link #effectiveSettings} of an admin command: the same, with the background
   * cleanup of expired sessions off. An admin command does its one job and leaves; deleting rows
   * behind its back (in the middle of a long copy or dump) is the servers' business.
   *
   * @param base the process's settings
   * @return the settings an admin command connects with
   */
  public SettingService adminSettings(SettingService base) {
    return override(
        effectiveSettings(base),
        SettingService.BODHI_SESSION_CLEANUP_INTERVAL,
        Optional.of(CLEANUP_OFF));
  }

  /**
   * Opens and migrates the session service an admin command works on (see {@link #adminSettings}),
   * enforcing that cluster mode runs on PostgreSQL.
   *
   * @param base the process's settings
   * @return the service; the caller closes it
   */
  public DefaultSessionService connect(SettingService base) {
    return DefaultSessionService.connect(adminSettings(base));
  }

  private static SettingService override(SettingService base, String key, Optional<String> value) {
    if (value.isEmpty()) {
      return base;
    }
    return name -> key.equals(name) ? value : base.getSetting(name);
  }
}

package app.getbodhi.session.cli;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.service.SettingsCheck;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;

/**
 * How the admin commands reach the session store, through the public API only: the provider that
 * accepts the URL (found as {@code serve} finds it, after the same check of the settings), its
 * read-only inspection, and the cluster rules {@link DefaultSessionService} enforces.
 */
final class StoreAccess {

  /** The command that creates the schema, for messages that tell the user how. */
  static final String MIGRATE = "'" + BodhiSessions.NAME + " migrate'";

  private StoreAccess() {}

  /**
   * Checks the settings as {@code serve} does ({@link SettingsCheck}) and finds the provider for
   * their URL.
   *
   * @param settings the effective settings
   * @return the provider
   * @throws SessionServiceException of kind UNSUPPORTED_URL or CONFIGURATION when a setting is not
   *     valid, no backend takes the URL, or it does not suit the deployment mode
   */
  static SessionStoreProvider provider(SettingService settings) {
    SettingsCheck.Report check =
        SettingsCheck.run(settings, SessionStoreBackend.discoverProviders());
    check.throwIfProblems();
    return check.provider().orElseThrow();
  }

  /**
   * Returns the store settings of a command that writes sessions in a way that depends on the keys:
   * {@code migrate} seals the sessions stored before sealing existed, and a copy's target may have
   * such sessions too. They must be sealed under {@link SettingService#BODHI_SESSION_SECRET}, as
   * the servers seal them ({@link DefaultSessionService#connect} reads the secrets the same way),
   * or the servers could not open them. The other settings are the defaults.
   *
   * @param settings the effective settings
   * @return the defaults with the server secret and the previous one
   * @throws SessionServiceException of kind CONFIGURATION when a secret is not valid base64, or the
   *     previous secret equals the current one
   */
  static SessionStoreConfig storeConfig(SettingService settings) {
    return SessionStoreConfig.defaults().withSecretsFrom(settings);
  }

  /**
   * Opens a store that must already exist, without creating or migrating anything: for the commands
   * that only read. A database that is missing, in memory, unreadable or without the session table
   * is refused with a message that says so and how to create it.
   *
   * @param settings the effective settings
   * @return the store, not migrated; the caller closes it
   * @throws CliException when the store cannot be read as it is
   */
  static SessionStoreBackend openExisting(SettingService settings) {
    SessionStoreProvider provider = provider(settings);
    String url = settings.sessionDbUrl();
    StoreInspection inspection = provider.inspect(url);
    String where = "the " + provider.name() + " session database at " + DatabaseUrls.redact(url);
    switch (inspection.database()) {
      case MISSING ->
          throw new CliException(
              capitalized(where)
                  + " does not exist yet. Create it with "
                  + MIGRATE
                  + " (serve creates it too)."
                  + (inspection.healthy() ? "" : " " + String.join(" ", inspection.problems())));
      case IN_MEMORY ->
          throw new CliException(
              capitalized(where)
                  + " lives in memory, inside one process, so this command would only find a new,"
                  + " empty one. Name a file or a server.");
      case UNREADABLE -> throw new CliException(String.join(" ", inspection.problems()));
      case FOUND -> {
        if (!inspection.migrated()) {
          throw new CliException(
              capitalized(where)
                  + " has no session table yet. Create it with "
                  + MIGRATE
                  + " (serve creates it too).");
        }
      }
      case NOT_INSPECTED -> {
        // a backend that cannot look first: opening is the only way to find out
      }
    }
    return SessionStoreBackend.of(provider.open(url, SessionStoreConfig.defaults()));
  }

  static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}

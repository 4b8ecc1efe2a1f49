package app.getbodhi.session.service;

import app.getbodhi.session.DeploymentMode;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one check of the settings a node starts with: {@link DefaultSessionService#connect} refuses
 * to start on what it finds, the admin tool's {@code doctor} reports it, and the Spring
 * auto-configuration, which hands its properties over as these settings, fails on it. So a setting
 * that stops a server is never "no problem" elsewhere.
 *
 * <p>It reads every setting of {@link #SETTINGS} (each bad value is one problem, all of them
 * reported, not just the first), then what holds between them: the previous secret against the
 * current one, a server secret in cluster mode ({@link #clusterSecretProblem}), a backend that
 * takes the URL and suits the deployment mode ({@link DefaultSessionService#deploymentProblem}).
 * Messages name the variable the user set and never a secret's value.
 */
public final class SettingsCheck {

  /**
   * One setting and how a node reads it.
   *
   * @param name the variable, as users set it
   * @param read reads it, throwing a {@link SessionServiceException} of kind CONFIGURATION for a
   *     value that is not valid
   */
  public record Setting(String name, Consumer<SettingService> read) {
    /** Checks that no component is null. */
    public Setting {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(read, "read");
    }
  }

  /**
   * Every setting a node reads at start, in the order problems are reported: a new setting gets a
   * row here, and then {@code serve}, {@code doctor} and Spring check it alike.
   */
  public static final List<Setting> SETTINGS =
      List.of(
          new Setting(SettingService.BODHI_DEPLOYMENT, SettingService::deploymentMode),
          new Setting(
              SettingService.BODHI_SESSION_CLEANUP_INTERVAL, SettingService::cleanupInterval),
          new Setting(SettingService.BODHI_SESSION_LIFETIME, SettingService::sessionLifetime),
          new Setting(
              SettingService.BODHI_SESSION_ACCESS_GRANULARITY, SettingService::accessGranularity),
          new Setting(SettingService.BODHI_SESSION_SECURE_COOKIE, SettingService::secureCookie),
          new Setting(SettingService.BODHI_SESSION_SECRET, SettingService::sessionSecret),
          new Setting(
              SettingService.BODHI_SESSION_SECRET_PREVIOUS, SettingService::previousSessionSecret),
          new Setting(
              SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY,
              SettingService::clusterWithoutSecretForTestingOnly));

  private SettingsCheck() {}

  /**
   * What the check found.
   *
   * @param problems each problem found, in the order of {@link #SETTINGS} then the rules between
   *     settings; a message the user can act on, without a secret's value
   * @param provider the backend that takes the URL, when exactly one does
   * @param config the store settings with the secrets from the settings, when they are valid
   */
  public record Report(
      List<SessionServiceException> problems,
      Optional<SessionStoreProvider> provider,
      Optional<SessionStoreConfig> config) {

    /** Copies the list. */
    public Report {
      problems = List.copyOf(problems);
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(config, "config");
    }

    /**
     * Returns the problems as messages, as {@code doctor} prints them.
     *
     * @return one message per problem
     */
    public List<String> messages() {
      return problems.stream().map(Throwable::getMessage).toList();
    }

    /**
     * Fails when there is a problem: with the problem itself when there is one, and with a
     * CONFIGURATION error listing them all when there are several, so a user fixes them in one go.
     *
     * @throws SessionServiceException as described
     */
    public void throwIfProblems() {
      if (problems.size() == 1) {
        throw problems.get(0);
      }
      if (!problems.isEmpty()) {
        StringBuilder message = new StringBuilder(problems.size() + " settings problems:");
        for (int i = 0; i < problems.size(); i++) {
          message.append(" (").append(i + 1).append(") ").append(problems.get(i).getMessage());
        }
        throw new SessionServiceException(
            SessionServiceException.Kind.CONFIGURATION, message.toString());
      }
    }
  }

  /**
   * Checks settings with the default store settings, as {@code doctor} does.
   *
   * @param settings what to check
   * @param providers the backends on the classpath, such as {@link
   *     SessionStoreBackend#discoverProviders()}
   * @return what was found
   */
  public static Report run(SettingService settings, List<SessionStoreProvider> providers) {
    return run(settings, SessionStoreConfig.defaults(), providers);
  }

  /**
   * Checks settings for a store opened with {@code config}, whose secret (set through the API)
   * stands when the settings set none.
   *
   * @param settings what to check
   * @param config the store settings the secrets are added to
   * @param providers the backends on the classpath
   * @return what was found
   */
  public static Report run(
      SettingService settings, SessionStoreConfig config, List<SessionStoreProvider> providers) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(config, "config");
    List<SessionServiceException> problems = new ArrayList<>();
    for (Setting setting : SETTINGS) {
      check(problems, () -> setting.read().accept(settings));
    }
    // the secrets together, and a secret set through the API standing when the settings set none
    Optional<SessionStoreConfig> sealed = read(problems, () -> config.withSecretsFrom(settings));
    sealed.ifPresent(
        withSecrets ->
            check(
                problems,
                () ->
                    clusterSecretProblem(
                            settings.deploymentMode(),
                            withSecrets.secret(),
                            settings.clusterWithoutSecretForTestingOnly())
                        .ifPresent(SettingsCheck::fail)));
    Optional<SessionStoreProvider> provider =
        read(
            problems, () -> SessionStoreBackend.selectProvider(settings.sessionDbUrl(), providers));
    provider.ifPresent(
        chosen ->
            check(
                problems,
                () ->
                    DefaultSessionService.deploymentProblem(settings, chosen)
                        .ifPresent(SettingsCheck::fail)));
    return new Report(problems, provider, problems.isEmpty() ? sealed : Optional.empty());
  }

  /**
   * Says why cluster mode cannot start without a secret, and how to make one or opt out.
   *
   * @param mode the deployment mode
   * @param secret the secret the store would use
   * @param optedOut whether {@link
   *     SettingService#BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY} is on
   * @return the problem, or empty when the mode is standalone, a secret is set, or the opt-out is
   *     on
   */
  public static Optional<String> clusterSecretProblem(
      DeploymentMode mode, SessionSecret secret, boolean optedOut) {
    if (mode != DeploymentMode.CLUSTER || !secret.isNone() || optedOut) {
      return Optional.empty();
    }
    return Optional.of(
        SettingService.BODHI_DEPLOYMENT
            + "=cluster needs a server secret: every node shares the session database, and"
            + " without a secret whoever can write to it can log in as anyone. To set one, "
            + SessionSecret.HOW_TO_MAKE_ONE
            + ", the same on every node. For a test setup only, "
            + SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY
            + "=true starts without one.");
  }

  private static void fail(String problem) {
    throw new SessionServiceException(SessionServiceException.Kind.CONFIGURATION, problem);
  }

  private static void check(List<SessionServiceException> problems, Runnable read) {
    read(
        problems,
        () -> {
          read.run();
          return Boolean.TRUE;
        });
  }

  /**
   * Runs one read, keeping its problem; a problem found already (a setting that a rule between
   * settings reads again) is not repeated.
   */
  private static <T> Optional<T> read(List<SessionServiceException> problems, Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (SessionServiceException e) {
      if (problems.stream().noneMatch(p -> Objects.equals(p.getMessage(), e.getMessage()))) {
        problems.add(e);
      }
      return Optional.empty();
    }
  }
}

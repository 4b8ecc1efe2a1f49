package app.getbodhi.session.cli;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.service.SettingsCheck;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code doctor}: shows the effective settings, the backend, the schema version and the session
 * counts, and checks what {@code serve} would trip over. It changes nothing: everything it knows of
 * the store comes from the backend's read-only {@link SessionStoreProvider#inspect inspection}.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Shows settings, backend, schema version and session counts.",
      "The URL is shown with its password hidden, and of the secrets only whether they are set."
          + " Reports every problem serve would trip over (each setting serve refuses, cluster"
          + " mode without a secret or on a local file, a folder that cannot be created or"
          + " written, a damaged file, a server that cannot be reached) and exits with 1 when it"
          + " finds one. It changes"
          + " nothing: it neither creates a folder, a file or a table, nor migrates."
    })
final class DoctorCommand extends StoreCommand {

  private static final String ROW = "%-30s %s%n";

  /** What the report shows for a setting whose value is refused; the problem says why. */
  private static final String INVALID = "(invalid)";

  DoctorCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    SettingService base = context().settings();
    SettingService settings = settings();
    List<SessionStoreProvider> providers = SessionStoreBackend.discoverProviders();
    // exactly the checks serve runs before it opens the store, with serve's messages
    SettingsCheck.Report check = SettingsCheck.run(settings, providers);
    List<String> problems = new ArrayList<>(check.messages());

    row(out, SettingService.BODHI_HOME, describeHome(base));
    row(
        out,
        SettingService.BODHI_SESSION_DB_URL,
        base.getSetting(SettingService.BODHI_SESSION_DB_URL)
            .filter(url -> !url.isBlank())
            .map(DatabaseUrls::redact)
            .orElse("(not set)"));
    row(
        out,
        SettingService.BODHI_DEPLOYMENT,
        valid(base, SettingService::deploymentMode)
            .map(m -> m.settingValue() + defaultUnless(base, SettingService.BODHI_DEPLOYMENT))
            .orElse(INVALID));
    row(out, SettingService.BODHI_SESSION_CLEANUP_INTERVAL, describeCleanup(base));
    row(
        out,
        SettingService.BODHI_SESSION_LIFETIME,
        valid(base, SettingService::sessionLifetime)
            .map(d -> shortDuration(d) + defaultUnless(base, SettingService.BODHI_SESSION_LIFETIME))
            .orElse(INVALID));
    row(
        out,
        SettingService.BODHI_SESSION_SECURE_COOKIE,
        valid(base, SettingService::secureCookie)
            .map(b -> b + defaultUnless(base, SettingService.BODHI_SESSION_SECURE_COOKIE))
            .orElse(INVALID));
    row(out, SettingService.BODHI_SESSION_SECRET, describeSecret(base));
    row(out, SettingService.BODHI_SESSION_SECRET_PREVIOUS, describePreviousSecret(base));
    if (base.isSet(SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY)) {
      row(
          out,
          SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY,
          valid(base, SettingService::clusterWithoutSecretForTestingOnly)
              .map(String::valueOf)
              .orElse(INVALID));
    }

    String url = settings.sessionDbUrl();
    row(out, "session database", DatabaseUrls.redact(url) + " (" + urlSource(base) + ")");
    Optional<SessionStoreProvider> provider = check.provider();
    row(
        out,
        "backend",
        provider.map(SessionStoreProvider::name).orElse("(none)")
            + " (available: "
            + providers.stream().map(SessionStoreProvider::name).collect(Collectors.joining(", "))
            + ")");

    if (provider.isPresent()) {
      StoreInspection inspection = provider.get().inspect(url);
      show(out, inspection);
      problems.addAll(inspection.problems());
    }

    if (problems.isEmpty()) {
      out.println("No problems found.");
      return BodhiSessions.EXIT_OK;
    }
    out.println();
    for (String problem : problems) {
      out.println("problem: " + Text.printable(problem));
    }
    out.flush();
    PrintWriter err = err();
    err.println(
        BodhiSessions.NAME + ": doctor found " + Plural.of(problems.size(), "problem") + ".");
    err.flush();
    return BodhiSessions.EXIT_FAILURE;
  }

  /** One line of the report; stored text (a path, a URL) cannot reach the terminal raw. */
  private static void row(PrintWriter out, String label, String value) {
    out.printf(ROW, label, Text.printable(value));
  }

  private static void show(PrintWriter out, StoreInspection inspection) {
    row(out, "database", describe(inspection));
    // with several hosts in the URL, which one answered
    inspection.server().ifPresent(server -> row(out, "server", server));
    if (inspection.database() == StoreInspection.Database.FOUND) {
      row(
          out,
          "schema version",
          inspection
              .schemaVersion()
              .orElse("none yet; " + StoreAccess.MIGRATE + " (or serve) creates the table"));
    }
    inspection
        .sessions()
        .ifPresent(
            counts ->
                row(
                    out,
                    "sessions",
                    counts.stored()
                        + " stored: "
                        + counts.live()
                        + " live, "
                        + counts.expired()
                        + " expired; "
                        + Plural.of(counts.liveUsers(), "user")
                        + " logged in"));
  }

  private static String describe(StoreInspection inspection) {
    return switch (inspection.database()) {
      case FOUND -> "ok";
      case MISSING ->
          inspection.healthy()
              ? "does not exist yet; " + StoreAccess.MIGRATE + " (or serve) creates it"
              : "does not exist yet, and cannot be created as it is";
      case IN_MEMORY -> "in memory: it lives inside one process, so there is nothing to look at";
      case UNREADABLE -> "cannot be used";
      case NOT_INSPECTED ->
          "not inspected: the " + inspection.backend() + " backend offers no look";
    };
  }

  /** Reads a setting for the report; its problem, if any, is in the check's report already. */
  private static <T> Optional<T> valid(SettingService settings, Function<SettingService, T> read) {
    try {
      return Optional.of(read.apply(settings));
    } catch (SessionServiceException e) {
      return Optional.empty();
    }
  }

  private static String defaultUnless(SettingService settings, String key) {
    return settings.isSet(key) ? "" : " (default)";
  }

  private static String shortDuration(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static String describeCleanup(SettingService settings) {
    return valid(settings, SettingService::cleanupInterval)
        .map(
            interval ->
                interval.map(d -> "every " + shortDuration(d)).orElse("off")
                    + defaultUnless(settings, SettingService.BODHI_SESSION_CLEANUP_INTERVAL))
        .orElse(INVALID);
  }

  /** Whether a secret is set and where from, never its value. */
  private static String describeSecret(SettingService settings) {
    return valid(settings, SettingService::sessionSecret)
        .map(
            secret ->
                secret.isNone()
                    ? "(not set)"
                    : "set"
                        + from(settings, SettingService.BODHI_SESSION_SECRET)
                        + (secret.isShort() ? ", shorter than recommended" : ""))
        .orElse(INVALID);
  }

  private static String describePreviousSecret(SettingService settings) {
    return valid(settings, SettingService::previousSessionSecret)
        .map(
            previous ->
                previous
                    .map(
                        secret ->
                            secret.isNone()
                                ? "none: sessions stored without a secret still load"
                                : "set"
                                    + from(settings, SettingService.BODHI_SESSION_SECRET_PREVIOUS))
                    .orElse("(not set)"))
        .orElse(INVALID);
  }

  private static String from(SettingService settings, String secretSetting) {
    String name = settings.secretSettingName(secretSetting);
    return name.equals(secretSetting) ? "" : " (from the file " + name + " names)";
  }

  private static String describeHome(SettingService settings) {
    return settings.bodhiHome() + defaultUnless(settings, SettingService.BODHI_HOME);
  }

  private String urlSource(SettingService base) {
    if (db().dbUrl().isPresent()) {
      return "from --db-url";
    }
    if (base.isSet(SettingService.BODHI_SESSION_DB_URL)) {
      return "from " + SettingService.BODHI_SESSION_DB_URL;
    }
    return "default: the SQLite file in " + SettingService.BODHI_HOME;
  }
}

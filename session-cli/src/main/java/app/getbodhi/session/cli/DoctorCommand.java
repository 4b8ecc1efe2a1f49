package app.getbodhi.session.cli;

import app.getbodhi.session.DeploymentMode;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
      "The URL is shown with its password hidden. Reports what serve would trip over (a folder"
          + " that cannot be created or written, a damaged file, a server that cannot be reached,"
          + " cluster mode on a local file) and exits with 1 when it finds a problem. It changes"
          + " nothing: it neither creates a folder, a file or a table, nor migrates."
    })
final class DoctorCommand extends StoreCommand {

  private static final String ROW = "%-22s %s%n";

  DoctorCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    SettingService base = context().settings();
    SettingService settings = settings();
    List<String> problems = new ArrayList<>();

    row(out, SettingService.BODHI_HOME, describeHome(base));
    row(
        out,
        SettingService.BODHI_SESSION_DB_URL,
        base.getSetting(SettingService.BODHI_SESSION_DB_URL)
            .filter(url -> !url.isBlank())
            .map(DatabaseUrls::redact)
            .orElse("(not set)"));
    Optional<DeploymentMode> mode = deploymentMode(base, problems);
    row(
        out,
        SettingService.BODHI_DEPLOYMENT,
        mode.map(
                m ->
                    m.settingValue()
                        + (base.getSetting(SettingService.BODHI_DEPLOYMENT).isPresent()
                            ? ""
                            : " (default)"))
            .orElse("(invalid)"));

    row(out, SettingService.BODHI_SESSION_CLEANUP_INTERVAL, describeCleanup(base, problems));

    String url = settings.sessionDbUrl();
    row(out, "session database", DatabaseUrls.redact(url) + " (" + urlSource(base) + ")");

    List<SessionStoreProvider> providers = SessionStoreBackend.discoverProviders();
    Optional<SessionStoreProvider> provider = Optional.empty();
    try {
      provider = Optional.of(SessionStoreBackend.selectProvider(url, providers));
    } catch (SessionServiceException e) {
      problems.add(e.getMessage());
    }
    row(
        out,
        "backend",
        provider.map(SessionStoreProvider::name).orElse("(none)")
            + " (available: "
            + providers.stream().map(SessionStoreProvider::name).collect(Collectors.joining(", "))
            + ")");

    if (mode.isPresent() && provider.isPresent()) {
      // the rule serve enforces, with serve's message
      DefaultSessionService.deploymentProblem(settings, provider.get()).ifPresent(problems::add);
    }

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

  private static Optional<DeploymentMode> deploymentMode(
      SettingService settings, List<String> problems) {
    try {
      return Optional.of(settings.deploymentMode());
    } catch (SessionServiceException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  private static String describeCleanup(SettingService settings, List<String> problems) {
    Optional<Duration> interval;
    try {
      interval = settings.cleanupInterval();
    } catch (SessionServiceException e) {
      problems.add(e.getMessage());
      return "(invalid)";
    }
    boolean set =
        settings
            .getSetting(SettingService.BODHI_SESSION_CLEANUP_INTERVAL)
            .filter(v -> !v.isBlank())
            .isPresent();
    return interval
            .map(d -> "every " + d.toString().substring(2).toLowerCase(Locale.ROOT))
            .orElse("off")
        + (set ? "" : " (default)");
  }

  private static String describeHome(SettingService settings) {
    boolean set =
        settings.getSetting(SettingService.BODHI_HOME).filter(v -> !v.isBlank()).isPresent();
    return settings.bodhiHome() + (set ? "" : " (default)");
  }

  private String urlSource(SettingService base) {
    if (db().dbUrl().isPresent()) {
      return "from --db-url";
    }
    if (base.getSetting(SettingService.BODHI_SESSION_DB_URL)
        .filter(v -> !v.isBlank())
        .isPresent()) {
      return "from " + SettingService.BODHI_SESSION_DB_URL;
    }
    return "default: the SQLite file in " + SettingService.BODHI_HOME;
  }
}

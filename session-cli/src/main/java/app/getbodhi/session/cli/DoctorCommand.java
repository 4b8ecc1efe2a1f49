package app.getbodhi.session.cli;

import app.getbodhi.session.DeploymentMode;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code doctor}: shows the effective settings, the backend, the schema version and the session
 * counts, and checks what {@code serve} would trip over. It changes nothing: it neither creates the
 * database nor migrates it.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Shows settings, backend, schema version and session counts.",
      "The URL is shown with its password hidden. Reports what serve would trip over and",
      "exits with 1 when it finds a problem. Changes nothing: it neither creates nor",
      "migrates the database."
    })
final class DoctorCommand implements Callable<Integer> {

  private static final String ROW = "%-22s %s%n";

  private final CliContext context;

  @Mixin private DbOptions db;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  DoctorCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SettingService base = context.settings();
    SettingService settings = db.effectiveSettings(base);
    List<String> problems = new ArrayList<>();

    out.printf(ROW, SettingService.BODHI_HOME, describeHome(base));
    out.printf(
        ROW,
        SettingService.BODHI_SESSION_DB_URL,
        base.getSetting(SettingService.BODHI_SESSION_DB_URL)
            .filter(url -> !url.isBlank())
            .map(DatabaseUrls::redact)
            .orElse("(not set)"));
    Optional<DeploymentMode> mode = deploymentMode(base, problems);
    out.printf(
        ROW,
        SettingService.BODHI_DEPLOYMENT,
        mode.map(
                m ->
                    m.settingValue()
                        + (base.getSetting(SettingService.BODHI_DEPLOYMENT).isPresent()
                            ? ""
                            : " (default)"))
            .orElse("(invalid)"));

    out.printf(ROW, SettingService.BODHI_SESSION_CLEANUP_INTERVAL, describeCleanup(base, problems));

    String url = settings.sessionDbUrl();
    out.printf(ROW, "session database", DatabaseUrls.redact(url) + " (" + urlSource(base) + ")");

    List<SessionStoreProvider> providers = SessionStoreBackend.discoverProviders();
    Optional<SessionStoreProvider> provider = Optional.empty();
    try {
      provider = Optional.of(SessionStoreBackend.selectProvider(url, providers));
    } catch (SessionServiceException e) {
      problems.add(e.getMessage());
    }
    out.printf(
        ROW,
        "backend",
        provider.map(SessionStoreProvider::name).orElse("(none)")
            + " (available: "
            + providers.stream().map(SessionStoreProvider::name).collect(Collectors.joining(", "))
            + ")");

    if (mode.isPresent()
        && mode.get() == DeploymentMode.CLUSTER
        && provider.isPresent()
        && !provider.get().name().equals("postgres")) {
      problems.add(
          SettingService.BODHI_DEPLOYMENT
              + "=cluster needs sessions in PostgreSQL, shared by every node, but the session"
              + " database is "
              + provider.get().name()
              + ". Set "
              + SettingService.BODHI_SESSION_DB_URL
              + "=postgres://USER:PASSWORD@HOST:PORT/DB, or "
              + SettingService.BODHI_DEPLOYMENT
              + "=standalone.");
    }

    if (provider.isPresent()) {
      inspect(out, provider.get().name(), url, problems);
    }

    if (problems.isEmpty()) {
      out.println("No problems found.");
      return BodhiSessions.EXIT_OK;
    }
    out.println();
    for (String problem : problems) {
      out.println("problem: " + problem);
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        BodhiSessions.NAME + ": doctor found " + Plural.of(problems.size(), "problem") + ".");
    err.flush();
    return BodhiSessions.EXIT_FAILURE;
  }

  private static void inspect(PrintWriter out, String backend, String url, List<String> problems) {
    SchemaProbe.Inspection inspection;
    try {
      inspection = SchemaProbe.inspect(backend, url);
    } catch (SessionServiceException e) {
      out.printf(ROW, "connection", "failed");
      problems.add(e.getMessage());
      return;
    }
    switch (inspection.state()) {
      case MIGRATED -> {
        out.printf(ROW, "connection", "ok");
        out.printf(ROW, "schema version", inspection.schemaVersion().orElseThrow());
        SchemaProbe.Counts counts = inspection.counts().orElseThrow();
        out.printf(
            ROW,
            "sessions",
            counts.stored()
                + " stored: "
                + counts.live()
                + " live, "
                + (counts.stored() - counts.live())
                + " expired; "
                + Plural.of(counts.liveUsers(), "user")
                + " logged in");
      }
      case NOT_MIGRATED -> {
        out.printf(ROW, "connection", "ok");
        out.printf(ROW, "schema version", "none yet (serve or migrate creates the table)");
      }
      case NO_DATABASE_FILE -> {
        out.printf(ROW, "connection", "not tried: the file does not exist yet");
        out.printf(ROW, "schema version", "none yet (serve or migrate creates the file)");
      }
      case IN_MEMORY ->
          out.printf(ROW, "schema version", "n/a (an in-memory database lives inside one process)");
      case UNKNOWN_BACKEND ->
          out.printf(ROW, "schema version", "unknown (doctor reads sqlite and postgres only)");
    }
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
    if (db.dbUrl().isPresent()) {
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

package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.DatabaseUrls;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migrate}: creates or upgrades the session schema, then says which version it is at. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Creates or upgrades the session table.",
      "Safe to run twice, on a database shared with other tables, and from several nodes",
      "at once. (serve migrates at start, too.)"
    })
final class MigrateCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin private DbOptions db;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  MigrateCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    SettingService settings = db.adminSettings(context.settings());
    String url = settings.sessionDbUrl();
    String backend;
    // connecting migrates: that is the work
    try (DefaultSessionService service = DefaultSessionService.connect(settings)) {
      backend = service.backend().kind();
    }
    String version =
        SchemaProbe.inspect(backend, url)
            .schemaVersion()
            .map(v -> " at schema version " + v)
            .orElse("");
    spec.commandLine()
        .getOut()
        .println(
            "The "
                + backend
                + " session store at "
                + DatabaseUrls.redact(url)
                + " is up to date"
                + version
                + ".");
    return BodhiSessions.EXIT_OK;
  }
}

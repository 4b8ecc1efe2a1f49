package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.DatabaseUrls;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessions copy --to URL}: copies every live session to another store. */
@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    description = {
      "Copies every live session to another store (--to).",
      "From the configured store (or --db-url) to the one at --to, creating its table if",
      "needed: the way from a standalone SQLite file to a cluster's PostgreSQL without",
      "logging anyone out. Safe to run again: each copy is an upsert. Stop the servers",
      "first (or copy again after switching them over) to catch late changes."
    })
final class CopyCommand implements Callable<Integer> {

  private final CliContext context;

  @Option(
      names = "--to",
      paramLabel = "URL",
      required = true,
      description = "The store to copy into, such as postgres://USER:PASSWORD@HOST:PORT/DB.")
  private String to;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "" + SessionCopier.DEFAULT_BATCH_SIZE,
      description = "Sessions read per page (and per progress update). Default: ${DEFAULT-VALUE}.")
  private int batchSize;

  @Mixin private DbOptions db;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  CopyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    SessionCopier copier = new SessionCopier(batchSize);
    SettingService settings = db.adminSettings(context.settings());
    String from = settings.sessionDbUrl();
    if (to.isBlank()) {
      throw new CliException("--to must name a session database URL.");
    }
    if (to.strip().equals(from.strip())) {
      throw new CliException(
          "--to names the source store itself ('" + DatabaseUrls.redact(to) + "'); nothing to do.");
    }
    try (DefaultSessionService source = DefaultSessionService.connect(settings);
        SessionStoreBackend target = SessionStoreBackend.connect(to)) {
      // a bar only for a person watching: in a pipe or a log its redraws would be noise
      ProgressBar bar =
          context.terminal().interactive()
              ? new ProgressBar(spec.commandLine().getErr(), "Copying sessions")
              : null;
      long copied;
      try {
        copied = copier.copy(source.getSessionStore(), target, Clock.systemUTC().instant(), bar);
      } finally {
        if (bar != null) {
          bar.finish();
        }
      }
      spec.commandLine()
          .getOut()
          .println(
              "Copied "
                  + Plural.sessions(copied)
                  + " from "
                  + source.backend().kind()
                  + " at "
                  + DatabaseUrls.redact(from)
                  + " to "
                  + target.kind()
                  + " at "
                  + DatabaseUrls.redact(to)
                  + ".");
    }
    return BodhiSessions.EXIT_OK;
  }
}

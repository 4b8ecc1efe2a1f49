package app.getbodhi.session.cli;

import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreProvider;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sessions copy --to URL}: copies every live session to another store. */
@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    description = {
      "Copies every live session to another store (--to).",
      "From the configured store (or --db-url) to the one at --to, creating its table if needed:"
          + " the way from a standalone SQLite file to a cluster's PostgreSQL without logging"
          + " anyone out. Safe to run again: each copy is an upsert. Stop the servers first (or"
          + " copy again after switching them over) to catch late changes. Sessions are copied"
          + " sealed, as stored: they open on the target only when its servers run with the same"
          + " BODHI_SESSION_SECRET as the source's (or none, if the source had none)."
    })
final class CopyCommand extends StoreCommand {

  @Option(
      names = "--to",
      paramLabel = "URL",
      required = true,
      converter = OptionValues.DbUrl.class,
      description = {
        "The URL of the store to copy into,",
        "such as postgres://USER:PASSWORD@HOST:PORT/DB"
      })
  private String to;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "" + SessionCopier.DEFAULT_BATCH_SIZE,
      converter = OptionValues.BatchSize.class,
      description =
          "Sessions read per page (and per progress update), 1 to "
              + SessionCopier.MAX_BATCH_SIZE
              + ". Default: ${DEFAULT-VALUE}.")
  private int batchSize;

  CopyCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    SessionCopier copier = new SessionCopier(batchSize);
    SettingService settings = settings();
    String from = settings.sessionDbUrl();
    SessionStoreProvider source = StoreAccess.provider(settings);
    SessionStoreProvider target =
        SessionStoreBackend.selectProvider(to, SessionStoreBackend.discoverProviders());
    // however the two URLs are spelled: a copy onto itself would only rewrite every row
    if (source.name().equals(target.name()) && source.sameStore(from, to)) {
      throw new CliException(
          "--to names the source store itself ('"
              + DatabaseUrls.redact(to)
              + "' reaches the same sessions as '"
              + DatabaseUrls.redact(from)
              + "'); nothing to do.");
    }
    // the source is only read: a missing one is refused, not created. The target is migrated with
    // the server secret, which seals any sessions it held from before sealing as its servers would
    try (SessionStoreBackend sourceStore = StoreAccess.openExisting(settings);
        SessionStoreBackend targetStore =
            SessionStoreBackend.connect(to, StoreAccess.storeConfig(settings), target)) {
      // a bar only for a person watching: in a pipe or a log its redraws would be noise
      ProgressBar bar =
          context().terminal().interactive() ? new ProgressBar(err(), "Copying sessions") : null;
      long copied;
      try {
        copied = copier.copy(sourceStore, targetStore, Clock.systemUTC().instant(), bar);
      } finally {
        if (bar != null) {
          bar.finish();
        }
      }
      out()
          .println(
              "Copied "
                  + Plural.sessions(copied)
                  + " from "
                  + sourceStore.kind()
                  + " at "
                  + DatabaseUrls.redact(from)
                  + " to "
                  + targetStore.kind()
                  + " at "
                  + DatabaseUrls.redact(to)
                  + ".");
    }
    return BodhiSessions.EXIT_OK;
  }
}

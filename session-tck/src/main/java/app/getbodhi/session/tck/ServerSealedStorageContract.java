package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The sealed-storage contract for a database server backend, and the advice its sealing migration
 * gives: a server keeps the old, unsealed versions of the rows it rewrote on disk until a command
 * only the operator can run reclaims them, so the report must name that command.
 *
 * <pre>{@code
 * class PgSealedStorageTest extends ServerSealedStorageContract {
 *   PgSealedStorageTest() {
 *     super(() -> PostgresFixture.shared(PgSessionStore::dataSource).freshSchema(),
 *         PgSessionStore::connect, PgSessionStore::new, "VACUUM FULL");
 *   }
 * }
 * }</pre>
 */
public abstract class ServerSealedStorageContract extends SealedStorageContract {

  private final String reclaimCommand;

  /**
   * For a server backend whose database and stores each come from one factory call.
   *
   * @param databases makes a fresh, empty database
   * @param storesByUrl opens the store on a URL
   * @param storesOnPool opens the store on a caller's data source
   * @param reclaimCommand what the advice must quote, such as {@code VACUUM FULL}
   */
  protected ServerSealedStorageContract(
      Supplier<TestDatabase> databases,
      BiFunction<String, SessionStoreConfig, ManagedSessionStore> storesByUrl,
      BiFunction<DataSource, SessionStoreConfig, ManagedSessionStore> storesOnPool,
      String reclaimCommand) {
    super(databases, storesByUrl, storesOnPool);
    this.reclaimCommand = Objects.requireNonNull(reclaimCommand, "reclaimCommand");
  }

  @Test
  void sealing_legacy_rows_advises_the_command_that_reclaims_the_old_row_versions_left_on_disk() {
    database.execute(database.legacySessionTableDdl());
    database.insertSessionRows(
        Map.of(SessionId.generate(), "{\"a\":1}"), clock.instant().plus(TTL));

    MigrationReport report = open(config()).migrate();

    assertThat(report.sealedRows()).isEqualTo(1);
    assertThat(report.advice()).anySatisfy(line -> assertThat(line).contains(reclaimCommand));
  }
}

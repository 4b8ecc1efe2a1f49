package app.getbodhi.session.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.tck.SealedStorageContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sealed-storage contract on PostgreSQL, and the advice its migration gives. */
class PgSealedStorageTest extends SealedStorageContract {

  PgSealedStorageTest() {
    super(
        () -> PostgresFixture.shared(PgSessionStore::dataSource).freshSchema(),
        PgSessionStore::connect,
        PgSessionStore::new);
  }

  @Test
  void sealing_legacy_rows_advises_vacuum_full_since_old_row_versions_stay_on_disk() {
    database.execute(database.legacySessionTableDdl());
    database.insertSessionRows(
        Map.of(SessionId.generate(), "{\"a\":1}"), clock.instant().plus(TTL));

    MigrationReport report = open(config()).migrate();

    assertThat(report.sealedRows()).isEqualTo(1);
    assertThat(report.advice()).anySatisfy(line -> assertThat(line).contains("VACUUM FULL"));
  }
}

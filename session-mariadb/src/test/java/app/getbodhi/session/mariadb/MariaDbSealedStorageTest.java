package app.getbodhi.session.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.tck.SealedStorageContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sealed-storage contract on MariaDB, and the advice its migration gives. */
class MariaDbSealedStorageTest extends SealedStorageContract {

  MariaDbSealedStorageTest() {
    super(MariaDbFixture::freshDatabase, MariaDbSessionStore::connect, MariaDbSessionStore::new);
  }

  @Test
  void sealing_legacy_rows_advises_optimize_table_since_old_row_versions_stay_on_disk() {
    database.execute(database.legacySessionTableDdl());
    database.insertSessionRows(
        Map.of(SessionId.generate(), "{\"a\":1}"), clock.instant().plus(TTL));

    MigrationReport report = open(config()).migrate();

    assertThat(report.sealedRows()).isEqualTo(1);
    assertThat(report.advice())
        .anySatisfy(line -> assertThat(line).contains("OPTIMIZE TABLE bodhi_sessions"));
  }
}

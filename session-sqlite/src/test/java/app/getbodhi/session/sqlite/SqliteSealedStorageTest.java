package app.getbodhi.session.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.SealedStorageContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sealed-storage contract on SQLite, and what is left in the file after sealing. */
class SqliteSealedStorageTest extends SealedStorageContract {

  SqliteSealedStorageTest() {
    super(SqliteFixture::tempFile, SqliteSessionStore::open, SqliteSessionStore::new);
  }

  @Test
  void after_sealing_a_legacy_file_no_plaintext_is_left_in_the_database_or_its_wal()
      throws IOException {
    Map<SessionId, String> rows = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      rows.put(SessionId.generate(), "{\"token\":\"plaintext-marker-" + i + "-xyzzy\"}");
    }
    database.execute(database.legacySessionTableDdl());
    database.insertSessionRows(rows, clock.instant().plus(TTL));
    Path file = ((SqliteFixture) database).file();
    assertThat(readAll(file))
        .as("the check can see plaintext")
        .contains("plaintext-marker-7-xyzzy");

    ManagedSessionStore store = open(config());
    MigrationReport report = store.migrate();

    assertThat(report.sealedRows()).isEqualTo(300);
    assertThat(report.advice()).as("SQLite vacuums itself").isEmpty();
    assertThat(store.load(rows.keySet().iterator().next())).isPresent();
    assertThat(readAll(file)).doesNotContain("xyzzy");
    assertThat(readAll(file)).doesNotContain(rows.keySet().iterator().next().value());
    Path wal = file.resolveSibling(file.getFileName() + "-wal");
    if (Files.exists(wal)) {
      assertThat(readAll(wal)).doesNotContain("xyzzy");
    }
  }

  private static String readAll(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }
}

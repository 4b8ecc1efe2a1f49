package app.getbodhi.session.tests;

import static app.getbodhi.session.tests.Usable.assertUsable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With both backends on the classpath, {@link SessionStoreBackend#connect(String)} picks one by the
 * URL's scheme. (The classpath with session-sqlite alone is tested in session-service.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BackendDiscoveryTest {

  @TempDir Path dir;

  @Test
  void every_provider_is_found() {
    assertThat(SessionStoreBackend.discoverProviders())
        .extracting(SessionStoreProvider::name)
        .containsExactlyInAnyOrder("sqlite", "postgres", "mariadb");
  }

  @Test
  void a_sqlite_url_opens_a_migrated_sqlite_store() {
    try (SessionStoreBackend backend =
        SessionStoreBackend.connect("sqlite:" + dir.resolve("s.sqlite"))) {
      assertThat(backend.kind()).isEqualTo("sqlite");
      assertThat(backend.store()).isInstanceOf(SqliteSessionStore.class);
      assertUsable(backend);
    }
  }

  @Test
  void a_postgres_url_opens_a_migrated_postgres_store() {
    try (PostgresSchema schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
      try (SessionStoreBackend backend = SessionStoreBackend.connect(schema.url())) {
        assertThat(backend.kind()).isEqualTo("postgres");
        assertThat(backend.store()).isInstanceOf(PgSessionStore.class);
        assertUsable(backend);
      }
      assertThat(schema.tableNames()).contains("bodhi_sessions");
    }
  }

  @Test
  void of_wraps_an_open_store_and_reports_its_kind() {
    try (SessionStoreBackend backend =
        SessionStoreBackend.of(SqliteSessionStore.open("sqlite:" + dir.resolve("of.sqlite")))) {
      backend.migrate();
      assertThat(backend.kind()).isEqualTo("sqlite");
      assertUsable(backend);
    }
  }

  @Test
  void an_unknown_scheme_is_unsupported_and_the_message_names_it_and_both_backends() {
    assertThatThrownBy(() -> SessionStoreBackend.connect("mysql://bodhi:s3cret@db.example/app"))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.UNSUPPORTED_URL);
              assertThat(e.getMessage())
                  .contains("mysql", "sqlite", "postgres")
                  .doesNotContain("s3cret");
            });
  }
}

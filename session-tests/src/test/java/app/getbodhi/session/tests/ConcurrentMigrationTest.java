package app.getbodhi.session.tests;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.Concurrently;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Four application nodes (four stores, each with its own pool) start against one fresh PostgreSQL
 * schema and migrate at the same moment, as a cluster does on a rolling start.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PgConcurrentMigrationTest {

  private static final int NODES = 4;

  private PostgresSchema schema;
  private final List<PgSessionStore> nodes = new ArrayList<>();

  @BeforeEach
  void startNodes() {
    schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
    SessionStoreConfig config = SessionStoreConfig.defaults().withMaximumPoolSize(2);
    for (int i = 0; i < NODES; i++) {
      nodes.add(PgSessionStore.connect(schema.url(), config));
    }
  }

  @AfterEach
  void stopNodes() {
    schema.closeAfter(nodes);
  }

  @RepeatedTest(3)
  void four_nodes_migrating_at_once_all_succeed_and_each_version_is_applied_exactly_once()
      throws Exception {
    List<Callable<MigrationReport>> migrations = new ArrayList<>();
    for (PgSessionStore node : nodes) {
      migrations.add(node::migrate);
    }

    List<MigrationReport> reports = Concurrently.runAtOnce(migrations);

    assertThat(reports).hasSize(NODES);
    List<String> applied =
        schema.queryStrings(
            "SELECT version FROM bodhi_sessions_schema_history"
                + " WHERE version IS NOT NULL AND type NOT IN ('BASELINE', 'SCHEMA')"
                + " ORDER BY installed_rank");
    assertThat(applied).as("versioned migrations applied").isNotEmpty().doesNotHaveDuplicates();
    assertThat(applied).contains("1", "2", "5");
    // the reports add up: between them the nodes applied each migration once, and an empty table
    // has nothing to seal
    assertThat(reports.stream().mapToInt(MigrationReport::migrationsApplied).sum())
        .isEqualTo(applied.size());
    assertThat(reports).allSatisfy(report -> assertThat(report.sealedRows()).isZero());
    assertThat(
            schema.queryLong(
                "SELECT count(*) FROM bodhi_sessions_schema_history WHERE NOT success"))
        .isZero();
    assertThat(schema.columnNames("bodhi_sessions")).contains("user_id");
    assertThat(schema.indexNames("bodhi_sessions"))
        .contains("idx_bodhi_sessions_user_id", "idx_bodhi_sessions_expiry_date");

    // every node now sees what any other node saves
    SessionRecord saved =
        new SessionRecord(
            SessionId.generate(),
            Map.of(SessionRecord.USER_ID_KEY, "alice"),
            Instant.now().plusSeconds(3600));
    nodes.get(0).save(saved);
    for (PgSessionStore node : nodes) {
      assertThat(content(node.load(saved.id()))).contains(content(saved));
      assertThat(node.countSessionsForUser("alice")).isEqualTo(1);
    }
  }
}

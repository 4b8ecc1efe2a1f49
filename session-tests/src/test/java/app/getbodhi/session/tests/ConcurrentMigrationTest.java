package app.getbodhi.session.tests;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.Concurrently;
import app.getbodhi.session.tck.TestDatabase;
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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Four application nodes (four stores, each with its own pool) start against one fresh database of
 * a server they share and migrate at the same moment, as a cluster does on a rolling start: the
 * backend's lock across nodes lets one migrate and the others find the work done.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(SharedServer.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConcurrentMigrationTest {

  private static final int NODES = 4;

  @Parameter SharedServer server;

  private TestDatabase database;
  private final List<ManagedSessionStore> nodes = new ArrayList<>();

  @BeforeEach
  void startNodes() {
    database = server.freshDatabase();
    SessionStoreConfig config = SessionStoreConfig.defaults().withMaximumPoolSize(2);
    for (int i = 0; i < NODES; i++) {
      nodes.add(server.connect(database.url(), config));
    }
  }

  @AfterEach
  void stopNodes() {
    database.closeAfter(nodes);
  }

  @RepeatedTest(3)
  void four_nodes_migrating_at_once_all_succeed_and_each_version_is_applied_exactly_once()
      throws Exception {
    List<Callable<MigrationReport>> migrations = new ArrayList<>();
    for (ManagedSessionStore node : nodes) {
      migrations.add(node::migrate);
    }

    List<MigrationReport> reports = Concurrently.runAtOnce(migrations);

    assertThat(reports).hasSize(NODES);
    List<String> applied =
        database.queryStrings(
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
            database.queryLong(
                "SELECT count(*) FROM bodhi_sessions_schema_history WHERE NOT success"))
        .isZero();
    assertThat(database.columnNames("bodhi_sessions")).contains("user_id");
    assertThat(database.indexNames("bodhi_sessions"))
        .contains("idx_bodhi_sessions_user_id", "idx_bodhi_sessions_expiry_date");

    // every node now sees what any other node saves
    SessionRecord saved =
        new SessionRecord(
            SessionId.generate(),
            Map.of(SessionRecord.USER_ID_KEY, "alice"),
            Instant.now().plusSeconds(3600));
    nodes.get(0).save(saved);
    for (ManagedSessionStore node : nodes) {
      assertThat(content(node.load(saved.id()))).contains(content(saved));
      assertThat(node.countSessionsForUser("alice")).isEqualTo(1);
    }
  }
}

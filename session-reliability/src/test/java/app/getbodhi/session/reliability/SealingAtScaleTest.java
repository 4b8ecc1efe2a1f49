package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The sealing migration on tables of sessions stored before sealing, at the sizes production has: a
 * million rows sealed by a JVM with a 256 MB heap (a migration that held the table in memory would
 * run out of it), leaving no plaintext and no id in the SQLite file; and a run killed half-way,
 * then resumed, seals every row exactly once. The migration runs in a child JVM ({@link
 * MigrationRunner}) so that its heap limit is real and it can be killed like a crashed process.
 *
 * <p>Timings go to standard output (the surefire report), as lines starting with {@code timing}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SealingAtScaleTest {

  /** The child's heap: well below what a million rows of ids and JSON take in memory. */
  private static final String HEAP = "-Xmx256m";

  private static final long HEAP_BYTES = 256L * 1024 * 1024;

  /** Starts every legacy row's JSON, so that any plaintext left in the file can be found. */
  private static final String MARKER = "PLAINMKR-";

  private static final Instant EXPIRY = Instant.now().plus(1, ChronoUnit.DAYS);

  /** About 200 bytes of JSON per row, as a small real session would hold. */
  private static final String FILLER = "lorem ipsum dolor sit amet ".repeat(4);

  private static final Pattern SEALED_SO_FAR = Pattern.compile("Sealed (\\d+) stored sessions");

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  /** A legacy row's JSON; user ids repeat, as they do across a user's devices. */
  private static String json(long n) {
    return "{\"marker\":\""
        + MARKER
        + n
        + "\",\"user_id\":\"user-"
        + (n % 10_000)
        + "\",\"n\":"
        + n
        + ",\"cart\":[\"book\",\"pen\"],\"text\":\""
        + FILLER
        + "\"}";
  }

  /** The rows a test kept to check after the migration: their ids and original JSON. */
  private record Kept(Map<SessionId, byte[]> rows) {

    /** Ids and markers as patterns to search the database file for. */
    List<String> secrets() {
      List<String> patterns = new ArrayList<>();
      patterns.add(MARKER);
      rows.keySet().forEach(id -> patterns.add(id.value()));
      return patterns;
    }
  }

  /**
   * Creates the legacy table (the shape before {@code user_id}, as tower-sessions made it) in a
   * SQLite file and fills it with plain JDBC, in batches in one transaction; keeps the rows whose
   * numbers {@code keep} accepts.
   */
  private static Kept legacySqlite(Path file, int rows, LongPredicate keep) throws Exception {
    Map<SessionId, byte[]> kept = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      // a large page cache: the primary key index takes random inserts
      statement.execute("PRAGMA cache_size = -262144");
      statement.execute("PRAGMA journal_mode = WAL");
      statement.execute("PRAGMA synchronous = OFF");
      statement.execute(
          "CREATE TABLE bodhi_sessions (id TEXT PRIMARY KEY, data BLOB NOT NULL,"
              + " expiry_date INTEGER NOT NULL)");
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO bodhi_sessions VALUES (?, ?, ?)")) {
        for (long n = 0; n < rows; n++) {
          SessionId id = SessionId.generate();
          byte[] data = json(n).getBytes(StandardCharsets.UTF_8);
          insert.setString(1, id.value());
          insert.setBytes(2, data);
          insert.setLong(3, EXPIRY.toEpochMilli());
          insert.addBatch();
          if (n % 10_000 == 9_999) {
            insert.executeBatch();
          }
          if (keep.test(n)) {
            kept.put(id, data);
          }
        }
        insert.executeBatch();
      }
      connection.commit();
      connection.setAutoCommit(true);
      statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    return new Kept(kept);
  }

  /**
   * Creates the legacy table in a PostgreSQL schema and fills it on the server, which is much
   * faster than sending rows: ids are 16 random bytes in URL-safe base64 without padding, as {@link
   * SessionId#generate()} makes them. Keeps {@code keep} random rows.
   */
  private static Kept legacyPostgres(PostgresSchema schema, int rows, int keep) throws Exception {
    schema.execute(schema.legacySessionTableDdl());
    schema.execute(
        "INSERT INTO bodhi_sessions (id, data, expiry_date) SELECT"
            + " rtrim(translate(encode(decode(md5(random()::text || n::text), 'hex'), 'base64'),"
            + " '+/', '-_'), '='),"
            + " convert_to('{\"marker\":\""
            + MARKER
            + "' || n || '\",\"user_id\":\"user-' || (n % 10000) || '\",\"n\":' || n ||"
            + " ',\"cart\":[\"book\",\"pen\"],\"text\":\""
            + FILLER
            + "\"}', 'UTF8'),"
            + " to_timestamp(? / 1000.0)"
            + " FROM generate_series(0, ? - 1) AS n",
        EXPIRY.toEpochMilli(),
        rows);
    schema.execute("ANALYZE bodhi_sessions");
    Map<SessionId, byte[]> kept = new LinkedHashMap<>();
    try (Connection connection = schema.dataSource().getConnection();
        PreparedStatement sample =
            connection.prepareStatement(
                "SELECT id, data FROM bodhi_sessions ORDER BY random() LIMIT ?")) {
      sample.setInt(1, keep);
      try (ResultSet result = sample.executeQuery()) {
        while (result.next()) {
          kept.put(SessionId.parse(result.getString(1)).orElseThrow(), result.getBytes(2));
        }
      }
    }
    assertThat(kept).hasSize(keep);
    return new Kept(kept);
  }

  /** Chooses {@code count} distinct row numbers below {@code rows}, at random. */
  private static LongPredicate randomRows(int rows, int count) {
    BitSet chosen = new BitSet(rows);
    Random random = new Random();
    while (chosen.cardinality() < count) {
      chosen.set(random.nextInt(rows));
    }
    return n -> chosen.get((int) n);
  }

  private static ChildJvm.Running startMigration(String url, boolean logProgress) throws Exception {
    List<String> options = new ArrayList<>(List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"));
    if (logProgress) {
      options.add(
          "-Dorg.slf4j.simpleLogger.log.app.getbodhi.session.jooq.internal.SealingMigration=info");
    }
    return ChildJvm.start(
        MigrationRunner.class, Map.of(SettingService.BODHI_SESSION_DB_URL, url), options);
  }

  /** Runs the migration in a child JVM with a 256 MB heap and returns what it printed. */
  private static ChildJvm.Output migrateInChild(String url, Duration timeout) throws Exception {
    try (ChildJvm.Running child = startMigration(url, false)) {
      ChildJvm.Output output = child.await(timeout);
      assertThat(output.exitCode())
          .as("the migration's exit code; its output:\n%s\n%s", output.stdout(), output.stderr())
          .isZero();
      assertThat(printed(output, "max-heap"))
          .as("the child's heap limit")
          .isLessThanOrEqualTo(HEAP_BYTES);
      return output;
    }
  }

  private static long printed(ChildJvm.Output output, String name) {
    return output.stdout().stream()
        .filter(line -> line.startsWith(name + " "))
        .map(line -> Long.parseLong(line.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + output.stdout()));
  }

  /** Every kept id loads, with the data it had before sealing. */
  private static void assertKeptRowsLoad(ManagedSessionStore store, Kept kept) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    int checked = 0;
    for (Map.Entry<SessionId, byte[]> row : kept.rows().entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> original = mapper.readValue(row.getValue(), Map.class);
      // through SessionRecord, so that JSON's numbers compare as the store returns them
      Map<String, Object> expected = new SessionRecord(row.getKey(), original, EXPIRY).data();
      Optional<SessionRecord> loaded = store.load(row.getKey());
      assertThat(loaded.map(SessionRecord::data))
          .as("row %s of %s, loaded by its original id", checked, kept.rows().size())
          .contains(expected);
      checked++;
    }
  }

  /**
   * Starts the sealing migration of {@code db} (all {@code rows} unsealed) in a child JVM, kills it
   * once it has committed {@code pagesBeforeKill} pages, then migrates again in this JVM: the rerun
   * seals exactly the rows the killed run left, loses none, and every kept row loads by its id.
   */
  private static void assertKilledSealingResumes(
      String backend,
      TestDatabase db,
      int rows,
      int pagesBeforeKill,
      Kept kept,
      Function<String, ManagedSessionStore> open)
      throws Exception {
    long start = System.nanoTime();
    long logged;
    try (ChildJvm.Running child = startMigration(db.url(), true)) {
      logged = killAfterSomePages(child, pagesBeforeKill);
    }
    long sealedBefore = rowsWithKeyLength(db, 43);
    timing(backend + ": killed after " + sealedBefore + " rows sealed", start);
    assertThat(sealedBefore)
        .as("rows sealed when the child was killed: at least those it logged, not all")
        .isGreaterThanOrEqualTo(logged)
        .isLessThan(rows);

    start = System.nanoTime();
    try (ManagedSessionStore store = open.apply(db.url())) {
      MigrationReport resumed = store.migrate();
      timing(backend + ": resumed and sealed " + resumed.sealedRows() + " rows", start);

      assertThat(resumed.migrationsApplied()).as("only the sealing ran again").isEqualTo(1);
      assertThat(resumed.sealedRows()).isEqualTo(rows - sealedBefore);
      assertThat(db.sessionRowCount()).as("no row lost, none added").isEqualTo(rows);
      assertThat(rowsWithKeyLength(db, 43)).isEqualTo(rows);
      start = System.nanoTime();
      assertKeptRowsLoad(store, kept);
      timing(backend + ": all " + rows + " rows loaded by their original ids", start);
    }
  }

  /** Counts rows by the length of their key: 22 for an id (unsealed), 43 for a ref (sealed). */
  private static long rowsWithKeyLength(TestDatabase db, int length) {
    return db.queryLong("SELECT count(*) FROM bodhi_sessions WHERE length(id) = ?", length);
  }

  private static void timing(String what, long startNanos) {
    System.out.printf(
        "timing %s: %d ms%n", what, Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
  }

  /** Waits until the child has logged that it sealed and committed some pages, then kills it. */
  private static long killAfterSomePages(ChildJvm.Running child, int pages) throws Exception {
    Supplier<Long> sealedSoFar =
        () -> {
          try {
            Matcher matcher = SEALED_SO_FAR.matcher(child.stderrSoFar());
            long last = 0;
            while (matcher.find()) {
              last = Long.parseLong(matcher.group(1));
            }
            return last;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    assertThat(
            Calls.waitUntil(
                Duration.ofMinutes(2),
                () -> !child.isAlive() || sealedSoFar.get() >= pages * 1_000L))
        .as("the child logged its progress")
        .isPresent();
    assertThat(child.isAlive()).as("the child still runs when it is killed").isTrue();
    child.kill();
    return sealedSoFar.get();
  }

  @Nested
  class OnSqlite {

    @Test
    void
        a_million_legacy_sessions_are_sealed_in_a_256_mb_heap_leaving_no_id_or_plaintext_in_the_file()
            throws Exception {
      int rows = 1_000_000;
      SqliteFixture db = SqliteFixture.tempFile();
      opened.add(db);
      long start = System.nanoTime();
      Kept kept = legacySqlite(db.file(), rows, randomRows(rows, 100));
      timing("SQLite: " + rows + " legacy rows written", start);

      start = System.nanoTime();
      ChildJvm.Output output = migrateInChild(db.url(), Duration.ofMinutes(5));
      timing("SQLite: " + rows + " rows migrated and sealed in a 256 MB heap", start);

      assertThat(printed(output, "sealed-rows")).isEqualTo(rows);
      assertThat(db.sessionRowCount()).isEqualTo(rows);
      assertThat(rowsWithKeyLength(db, 22)).as("rows still under an id").isZero();
      assertThat(rowsWithKeyLength(db, 43)).as("rows under a ref").isEqualTo(rows);
      start = System.nanoTime();
      try (SqliteSessionStore store = SqliteSessionStore.open(db.url())) {
        assertThat(store.migrate()).isEqualTo(MigrationReport.current());
        assertKeptRowsLoad(store, kept);
      }
      Path wal = Path.of(db.file() + "-wal");
      assertThat(!Files.exists(wal) || Files.size(wal) == 0)
          .as("the WAL, which held the pages from before sealing, is empty")
          .isTrue();
      List<String> found = new BytesInFile(kept.secrets()).find(db.file());
      timing(
          "SQLite: checked 100 rows and searched the "
              + Files.size(db.file()) / (1024 * 1024)
              + " MB file",
          start);
      assertThat(found).as("ids and plaintext left in the database file").isEmpty();
    }

    @Test
    void a_sealing_run_killed_half_way_is_resumed_and_seals_every_row_exactly_once()
        throws Exception {
      // enough for a hundred pages; the million above covers size, this covers the crash
      int rows = 100_000;
      SqliteFixture db = SqliteFixture.tempFile();
      opened.add(db);
      Kept kept = legacySqlite(db.file(), rows, n -> true);

      assertKilledSealingResumes("SQLite", db, rows, 5, kept, SqliteSessionStore::open);
    }
  }

  /**
   * A quarter of the SQLite count: sealing is the same code on both backends (its memory bound is
   * shown by the million rows above) and a million rows take about a minute here, which is too long
   * for every build; 250 pages still show the paging, the driver and the advice at work.
   */
  @Nested
  class OnPostgres {

    private PostgresSchema freshSchema() {
      PostgresSchema schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
      opened.add(schema);
      return schema;
    }

    @Test
    void a_quarter_million_legacy_sessions_are_sealed_page_by_page_in_a_256_mb_heap()
        throws Exception {
      int rows = 250_000;
      PostgresSchema schema = freshSchema();
      long start = System.nanoTime();
      Kept kept = legacyPostgres(schema, rows, 100);
      timing("PostgreSQL: " + rows + " legacy rows written", start);

      start = System.nanoTime();
      ChildJvm.Output output = migrateInChild(schema.url(), Duration.ofMinutes(5));
      timing("PostgreSQL: " + rows + " rows migrated and sealed in a 256 MB heap", start);

      assertThat(printed(output, "sealed-rows")).isEqualTo(rows);
      assertThat(output.stdout())
          .as("the operator is told to vacuum the old row versions away")
          .anySatisfy(line -> assertThat(line).startsWith("advice").contains("VACUUM FULL"));
      assertThat(schema.sessionRowCount()).isEqualTo(rows);
      assertThat(rowsWithKeyLength(schema, 22)).as("rows still under an id").isZero();
      assertThat(rowsWithKeyLength(schema, 43)).isEqualTo(rows);
      try (PgSessionStore store = PgSessionStore.connect(schema.url())) {
        assertKeptRowsLoad(store, kept);
      }
    }

    @Test
    void a_sealing_run_killed_half_way_is_resumed_and_seals_every_row_exactly_once()
        throws Exception {
      int rows = 50_000;
      PostgresSchema schema = freshSchema();
      Kept kept = legacyPostgres(schema, rows, rows);

      assertKilledSealingResumes("PostgreSQL", schema, rows, 3, kept, PgSessionStore::connect);
    }
  }
}

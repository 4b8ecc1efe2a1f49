package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.jooq.StoreProbe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.core.serializer.support.SerializingConverter;

/**
 * Loads rows fast, outside any measurement: multi-row inserts in one transaction for SQLite and
 * MariaDB, {@code COPY} for PostgreSQL. Rows go straight into the tables our store's migrations (or
 * Spring's shipped schema) created.
 *
 * <p>The store's table holds sealed rows: a row key (a hash of the id) in {@code id} and AES-GCM
 * sealed JSON in {@code data}. Small tables are filled through the store itself ({@link
 * #saveThroughStore}); the large ones (up to a million rows, where the store's batches would take
 * minutes) get rows sealed here by the store's own sealing ({@link StoreProbe}), with the store's
 * setting (no server secret), and {@link BenchMain} then checks that the store opens them. Raw
 * JDBC's point baseline reads {@link #PLAIN_TABLE}, the same sessions in the legacy plain form.
 */
final class Fixtures {

  /** The store's table. */
  static final String TABLE = "bodhi_sessions";

  /**
   * Raw JDBC's copy of the point table: the same columns, indexes and sessions, but as the store
   * kept them before sealing (the id itself as the key, plain JSON as the data).
   */
  static final String PLAIN_TABLE = "bodhi_sessions_plain";

  /**
   * Seals as the store does with its default settings (no server secret, no previous one). {@link
   * StoreProbe} is thread-safe.
   */
  static final StoreProbe SEALING = new StoreProbe(SessionSecret.none());

  /**
   * One row of a session table: {@code id} is a row key in the store's table, an id in the plain.
   */
  record Row(String id, byte[] data, Instant expiry, String user) {}

  /** One Spring session: its id, times and attributes. */
  record SpringRow(String id, String user, long lastAccessMillis, Map<String, Object> attributes) {}

  private static final int SQLITE_ROWS_PER_INSERT = 500;
  private static final HexFormat HEX = HexFormat.of();

  private Fixtures() {}

  /** Loads above this many rows drop and rebuild the secondary indexes, and go in id order. */
  static final long BULK = 50_000;

  /**
   * The secondary indexes' definitions as the migrations created them in this database, read back
   * from its catalog so the rebuilt ones are exactly the real ones (a hash index on PostgreSQL, a
   * covering one on SQLite).
   */
  private static Map<String, String> secondaryIndexes(BenchDb db, Statement statement)
      throws SQLException {
    String query =
        db.backend == BenchDb.Backend.SQLITE
            ? "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                + " AND tbl_name = '"
                + TABLE
                + "' AND sql IS NOT NULL"
            : "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = '"
                + TABLE
                + "' AND i.schemaname = current_schema() AND i.indexname LIKE 'idx_%'";
    Map<String, String> indexes = new java.util.LinkedHashMap<>();
    try (java.sql.ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        indexes.put(rows.getString(1), rows.getString(2));
      }
    }
    if (indexes.size() != 2) {
      throw new IllegalStateException("expected the two migrated indexes, found " + indexes);
    }
    return indexes;
  }

  /**
   * Inserts {@code count} rows made by {@code rows} into the store's table. A large load goes in
   * primary-key order (an append to the id index instead of a million random inserts) with the two
   * secondary indexes dropped and rebuilt afterwards, under their migration names and definitions.
   */
  static void insert(BenchDb db, DataSource dataSource, long count, LongFunction<Row> rows)
      throws SQLException {
    insert(db, dataSource, count, i -> rows.apply(i).id(), rows);
  }

  /**
   * Inserts rows into a table, the store's or {@link #PLAIN_TABLE}, as they come: no index is
   * dropped (for the point table and the delete benchmark's victims, not the large tables).
   */
  static void insertInto(
      BenchDb db, DataSource dataSource, String table, long count, LongFunction<Row> rows)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      load(db, connection, table, count, rows);
    }
  }

  /** As {@link #insert(BenchDb, DataSource, long, LongFunction)}, with a cheap way to the ids. */
  static void insert(
      BenchDb db,
      DataSource dataSource,
      long count,
      LongFunction<String> idOf,
      LongFunction<Row> rows)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      if (count < BULK) {
        load(db, connection, TABLE, count, rows);
        return;
      }
      if (db.backend == BenchDb.Backend.MARIADB) {
        // the million-row tables (scale, clean-up, memory) are measured on SQLite and PostgreSQL
        throw new IllegalStateException(db + ": bulk loads are written for SQLite and PostgreSQL");
      }
      String[] ids = new String[(int) count];
      Integer[] order = new Integer[(int) count];
      for (int i = 0; i < count; i++) {
        ids[i] = idOf.apply(i);
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> ids[a].compareTo(ids[b]));
      Map<String, String> indexes;
      try (Statement statement = connection.createStatement()) {
        indexes = secondaryIndexes(db, statement);
        for (String index : indexes.keySet()) {
          statement.execute("DROP INDEX " + index);
        }
        if (db.backend == BenchDb.Backend.SQLITE) {
          statement.execute("PRAGMA cache_size = -262144");
        } else {
          statement.execute("SET maintenance_work_mem = '256MB'");
        }
      }
      try {
        load(db, connection, TABLE, count, i -> rows.apply(order[(int) i]));
      } finally {
        try (Statement statement = connection.createStatement()) {
          for (String index : indexes.values()) {
            statement.execute(index);
          }
          if (db.backend == BenchDb.Backend.SQLITE) {
            statement.execute("PRAGMA cache_size = -2000");
          } else {
            statement.execute("RESET maintenance_work_mem");
          }
        }
      }
    }
  }

  private static void load(
      BenchDb db, Connection connection, String table, long count, LongFunction<Row> rows)
      throws SQLException {
    if (db.backend == BenchDb.Backend.POSTGRES) {
      copyPostgres(connection, table, count, rows);
    } else {
      insertMultiRow(db, connection, table, count, rows);
    }
  }

  /** SQLite and MariaDB: multi-row {@code INSERT}s of a few hundred rows, in one transaction. */
  private static void insertMultiRow(
      BenchDb db, Connection connection, String table, long count, LongFunction<Row> rows)
      throws SQLException {
    inTransaction(
        connection,
        () -> {
          String full = multiInsert(table, SQLITE_ROWS_PER_INSERT);
          try (PreparedStatement statement = connection.prepareStatement(full)) {
            long i = 0;
            while (i + SQLITE_ROWS_PER_INSERT <= count) {
              int p = 1;
              for (int r = 0; r < SQLITE_ROWS_PER_INSERT; r++) {
                p = bind(db, statement, p, rows.apply(i++));
              }
              statement.executeUpdate();
            }
            if (i < count) {
              try (PreparedStatement rest =
                  connection.prepareStatement(multiInsert(table, (int) (count - i)))) {
                int p = 1;
                while (i < count) {
                  p = bind(db, rest, p, rows.apply(i++));
                }
                rest.executeUpdate();
              }
            }
          }
        });
  }

  /** Work on a connection that may throw {@link SQLException}. */
  @FunctionalInterface
  private interface SqlWork {
    void run() throws SQLException;
  }

  /**
   * Runs work in one transaction on the connection: committed when it succeeds, rolled back when it
   * fails, and the connection's auto-commit mode restored either way.
   */
  private static void inTransaction(Connection connection, SqlWork work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      work.run();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static String multiInsert(String table, int rows) {
    StringBuilder sql =
        new StringBuilder("INSERT INTO " + table + " (id, data, expiry_date, user_id) VALUES ");
    for (int r = 0; r < rows; r++) {
      sql.append(r == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
    }
    return sql.toString();
  }

  private static int bind(BenchDb db, PreparedStatement statement, int p, Row row)
      throws SQLException {
    statement.setString(p, row.id());
    statement.setBytes(p + 1, row.data());
    db.expiry.bind(statement, p + 2, row.expiry());
    statement.setString(p + 3, row.user());
    return p + 4;
  }

  private static void copyPostgres(
      Connection connection, String table, long count, LongFunction<Row> rows) throws SQLException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    CopyIn copy =
        pg.getCopyAPI()
            .copyIn("COPY " + table + " (id, data, expiry_date, user_id) FROM STDIN (FORMAT csv)");
    try {
      StringBuilder chunk = new StringBuilder(1 << 20);
      for (long i = 0; i < count; i++) {
        Row row = rows.apply(i);
        chunk
            .append(row.id())
            .append(",\\x")
            .append(HEX.formatHex(row.data()))
            .append(',')
            .append(row.expiry())
            .append(',');
        if (row.user() != null) {
          chunk.append('"').append(row.user().replace("\"", "\"\"")).append('"');
        }
        chunk.append('\n');
        if (chunk.length() > (1 << 20) - 4096) {
          byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
          copy.writeToCopy(bytes, 0, bytes.length);
          chunk.setLength(0);
        }
      }
      byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
      copy.writeToCopy(bytes, 0, bytes.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** Creates Spring Session's tables from the schema file Spring ships for the database. */
  static void createSpringSchema(BenchDb db, DataSource dataSource) throws SQLException {
    String resource =
        "org/springframework/session/jdbc/schema-" + db.backend.springSchema() + ".sql";
    String script;
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "Spring Session's " + resource + " is not on the classpath");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : script.split(";")) {
        if (!sql.isBlank()) {
          statement.execute(sql);
        }
      }
    }
  }

  /** Inserts Spring sessions as its repository writes them (attributes Java-serialized). */
  static void insertSpring(DataSource dataSource, long count, LongFunction<SpringRow> rows)
      throws SQLException {
    SerializingConverter serializer = new SerializingConverter();
    int maxInactive = (int) BenchData.EXPIRY.toSeconds();
    try (Connection connection = dataSource.getConnection()) {
      inTransaction(
          connection,
          () -> {
            try (PreparedStatement session =
                    connection.prepareStatement(
                        "INSERT INTO SPRING_SESSION (PRIMARY_ID, SESSION_ID, CREATION_TIME,"
                            + " LAST_ACCESS_TIME, MAX_INACTIVE_INTERVAL, EXPIRY_TIME, PRINCIPAL_NAME)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement attribute =
                    connection.prepareStatement(
                        "INSERT INTO SPRING_SESSION_ATTRIBUTES (SESSION_PRIMARY_ID, ATTRIBUTE_NAME,"
                            + " ATTRIBUTE_BYTES) VALUES (?, ?, ?)")) {
              for (long i = 0; i < count; i++) {
                SpringRow row = rows.apply(i);
                String primary =
                    UUID.nameUUIDFromBytes(row.id().getBytes(StandardCharsets.UTF_8)).toString();
                session.setString(1, primary);
                session.setString(2, row.id());
                session.setLong(3, row.lastAccessMillis());
                session.setLong(4, row.lastAccessMillis());
                session.setInt(5, maxInactive);
                session.setLong(6, row.lastAccessMillis() + maxInactive * 1000L);
                session.setString(7, row.user());
                session.addBatch();
                for (Map.Entry<String, Object> entry : row.attributes().entrySet()) {
                  attribute.setString(1, primary);
                  attribute.setString(2, entry.getKey());
                  attribute.setBytes(3, serializer.convert(entry.getValue()));
                  attribute.addBatch();
                }
                if (i % 1000 == 999) {
                  session.executeBatch();
                  attribute.executeBatch();
                }
              }
              session.executeBatch();
              attribute.executeBatch();
            }
          });
    }
  }

  /**
   * Refreshes the optimizer's statistics on PostgreSQL and MariaDB (the server would, later);
   * nothing on SQLite.
   */
  static void analyze(BenchDb db, DataSource dataSource, String... tables) throws SQLException {
    if (db.backend == BenchDb.Backend.SQLITE) {
      return;
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : tables) {
        statement.execute(
            (db.backend == BenchDb.Backend.MARIADB ? "ANALYZE TABLE " : "ANALYZE ") + table);
      }
    }
  }

  /**
   * Creates {@link #PLAIN_TABLE} beside the store's table with the same columns, keys and indexes:
   * on PostgreSQL with {@code LIKE ... INCLUDING ALL}, on SQLite from the statements the migrations
   * left in {@code sqlite_master}, renamed.
   */
  static void createPlainTable(BenchDb db, DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + PLAIN_TABLE);
      if (db.backend == BenchDb.Backend.POSTGRES) {
        statement.execute("CREATE TABLE " + PLAIN_TABLE + " (LIKE " + TABLE + " INCLUDING ALL)");
        return;
      }
      if (db.backend == BenchDb.Backend.MARIADB) {
        // columns, collations, keys and indexes as the migrations made them
        statement.execute("CREATE TABLE " + PLAIN_TABLE + " LIKE " + TABLE);
        return;
      }
      List<String> ddl = new ArrayList<>();
      try (java.sql.ResultSet rows =
          statement.executeQuery(
              "SELECT sql FROM sqlite_master WHERE tbl_name = '"
                  + TABLE
                  + "' AND sql IS NOT NULL ORDER BY type DESC")) {
        // "table" sorts after "index": DESC creates the table first
        while (rows.next()) {
          ddl.add(
              rows.getString(1)
                  .replace("idx_" + TABLE + "_", "idx_plain_" + TABLE + "_")
                  .replaceAll("\\b" + TABLE + "\\b", PLAIN_TABLE));
        }
      }
      for (String sql : ddl) {
        statement.execute(sql);
      }
    }
  }

  /**
   * Saves sessions through the store, which seals them: its {@code saveAll}, in batches of {@link
   * ManagedSessionStore#MAX_SAVE_ALL}.
   */
  static void saveThroughStore(
      ManagedSessionStore store, long count, LongFunction<SessionRecord> sessions) {
    List<SessionRecord> batch = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      batch.add(sessions.apply(i));
      if (batch.size() == ManagedSessionStore.MAX_SAVE_ALL) {
        store.saveAll(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.saveAll(batch);
    }
  }

  /** The i-th session of a series as the store saves it: live, owned by {@link BenchData#user}. */
  static LongFunction<SessionRecord> liveSessions(long series, Instant expiry) {
    return i ->
        new SessionRecord(BenchData.id(series, i), BenchData.data(BenchData.user(i), i, 0), expiry);
  }

  /** The row key the store files an id under (with its default settings). */
  static String rowKey(SessionId id) {
    return SEALING.rowKey(id);
  }

  /**
   * Rows as the store writes them: each plain row's id hashed into its row key and its data sealed,
   * by the store's own sealing.
   */
  static LongFunction<Row> sealed(LongFunction<Row> plain) {
    return i -> {
      Row row = plain.apply(i);
      StoreProbe.Keys keys = SEALING.keys(SessionId.parse(row.id()).orElseThrow());
      return new Row(keys.rowKey(), SEALING.seal(keys, row.data()), row.expiry(), row.user());
    };
  }

  /**
   * Plain rows (legacy form): the i-th session of a series, live, owned by {@link BenchData#user}.
   */
  static LongFunction<Row> liveRows(long series, Instant expiry) {
    return i -> {
      String user = BenchData.user(i);
      return new Row(
          BenchData.idValue(series, i), BenchData.json(BenchData.data(user, i, 0)), expiry, user);
    };
  }

  /** Spring rows: the same sessions as {@link #liveRows}. */
  static LongFunction<SpringRow> springRows(long series, long nowMillis) {
    return i -> {
      String user = BenchData.user(i);
      return new SpringRow(
          BenchData.idValue(series, i), user, nowMillis, BenchData.springAttributes(user, i, 0));
    };
  }
}

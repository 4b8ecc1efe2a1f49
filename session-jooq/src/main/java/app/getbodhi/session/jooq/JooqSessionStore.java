package app.getbodhi.session.jooq;

import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep8;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.ParamType;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The session store both SQL backends share. Every statement is written once with jOOQ's DSL over
 * the typed {@code bodhi_sessions} table below, rendered in the backend's dialect when the store is
 * built, and then run as a plain JDBC {@link PreparedStatement}: a call costs the statement it
 * sends, with no per-call rendering, logging or reflection.
 *
 * <p>A backend subclasses this with its dialect, its {@link ExpiryColumn} and its {@link
 * #migrate()}; it is not meant for applications. A backend whose driver prepares every statement
 * afresh (SQLite) passes a {@link StatementCache}, so that each pooled connection keeps its
 * statements between calls. Thread-safe: each call borrows its own connection, and the only mutable
 * state, the cache, is per connection.
 */
public abstract class JooqSessionStore implements ManagedSessionStore {

  static {
    // jOOQ prints a banner and tips on first use unless told not to; a library must not print.
    System.getProperties().putIfAbsent("org.jooq.no-logo", "true");
    System.getProperties().putIfAbsent("org.jooq.no-tips", "true");
  }

  /** The session table. */
  public static final Table<Record> SESSIONS = table(name("bodhi_sessions"));

  /** The session id: 22 characters of URL-safe base64. */
  public static final Field<String> ID = field(name("id"), SQLDataType.VARCHAR);

  /** The session data: UTF-8 JSON bytes. */
  public static final Field<byte[]> DATA = field(name("data"), SQLDataType.BLOB);

  /** The indexed user id, mirroring {@code data["user_id"]}. */
  public static final Field<String> USER_ID = field(name("user_id"), SQLDataType.VARCHAR);

  /** The revision: 0 when inserted, one more on every write. */
  public static final Field<Long> REVISION = field(name("revision"), SQLDataType.BIGINT);

  /** The session's own inactivity timeout in seconds; NULL when the session layer's applies. */
  public static final Field<Integer> MAX_INACTIVE_SECONDS =
      field(name("max_inactive_seconds"), SQLDataType.INTEGER);

  /** The name of the Flyway history table, kept apart from an application's own Flyway table. */
  public static final String SCHEMA_HISTORY_TABLE = "bodhi_sessions_schema_history";

  /** How many ids {@link #create} draws before it gives up; a collision is already 2^-128. */
  private static final int MAX_CREATE_ATTEMPTS = 8;

  private final DataSource dataSource;
  private final AutoCloseable ownedPool;
  private final String backendName;
  private final ExpiryColumn expiry;
  private final Clock clock;
  private final SessionJson json;
  private final int deleteBatchSize;
  private final StatementCache statementCache;
  private final boolean rowLevelConcurrency;

  private final String insertIfAbsentSql;
  private final String upsertSql;
  private final String updateSql;
  private final String updateIfUnchangedSql;
  private final String deleteIfUnchangedSql;
  private final String loadSql;
  private final String loadLockedSql;
  private final String deleteSql;
  private final String clearUserSql;
  private final String clearAllSql;
  private final String countUserSql;
  private final String idsForUserSql;
  private final String dumpSql;
  private final String dumpPageSql;
  private final String loadPageSql;
  private final String deleteExpiredBatchSql;

  /**
   * Renders the statements for a backend.
   *
   * @param dataSource where connections come from
   * @param ownedPool the pool to close in {@link #close()}, or {@code null} when the caller owns
   *     the data source
   * @param backendName {@code sqlite} or {@code postgres}
   * @param dialect the dialect to render in
   * @param expiry how the expiry column is stored
   * @param config clock, size limit and batch size
   * @param statementCache where to keep prepared statements between calls, or {@code null} to
   *     prepare and close one per call (for data sources whose pooling the store does not know)
   */
  protected JooqSessionStore(
      DataSource dataSource,
      AutoCloseable ownedPool,
      String backendName,
      SQLDialect dialect,
      ExpiryColumn expiry,
      SessionStoreConfig config,
      StatementCache statementCache) {
    this.statementCache = statementCache;
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.ownedPool = ownedPool;
    this.backendName = Objects.requireNonNull(backendName, "backendName");
    this.expiry = Objects.requireNonNull(expiry, "expiry");
    this.clock = config.clock();
    this.json = new SessionJson(config.maxDataBytes());
    this.deleteBatchSize = config.deleteBatchSize();

    this.rowLevelConcurrency = dialect.family() != SQLDialect.SQLITE;
    DSLContext dsl = DSL.using(dialect, renderSettings());
    // the lifecycle times are instants like the expiry, so they use the same column type
    Field<Object> expiryDate = field(name("expiry_date"), expiry.dataType());
    Field<Object> createdAt = field(name("created_at"), expiry.dataType());
    Field<Object> lastAccessedAt = field(name("last_accessed_at"), expiry.dataType());
    Field<Object> now = param("now", expiry.dataType());
    Columns columns = new Columns(expiryDate, createdAt, lastAccessedAt);

    this.insertIfAbsentSql = render(dsl, insertRow(dsl, columns, expiry).onConflictDoNothing());
    Map<Field<?>, Field<?>> replaceAll = new LinkedHashMap<>();
    for (Field<?> column :
        List.of(DATA, expiryDate, USER_ID, createdAt, lastAccessedAt, MAX_INACTIVE_SECONDS)) {
      replaceAll.put(column, excluded(column));
    }
    // a concurrent handle holding the old revision must see the overwrite as a change; qualified,
    // because in PostgreSQL's ON CONFLICT a bare column is ambiguous with EXCLUDED's
    replaceAll.put(
        REVISION,
        field(name(SESSIONS.getName(), REVISION.getName()), SQLDataType.BIGINT).plus(inline(1L)));
    this.upsertSql =
        render(dsl, insertRow(dsl, columns, expiry).onConflict(ID).doUpdate().set(replaceAll));
    Field<String> idParam = param("id", ID.getDataType());
    this.updateSql =
        render(
            dsl,
            dsl.update(SESSIONS).set(orderedAssignments(columns, expiry)).where(ID.eq(idParam)));
    Field<Long> revisionParam = param("revision", REVISION.getDataType());
    this.updateIfUnchangedSql =
        render(
            dsl,
            dsl.update(SESSIONS)
                .set(orderedAssignments(columns, expiry))
                .where(ID.eq(idParam))
                .and(REVISION.eq(revisionParam))
                .and(expiryDate.gt(now)));
    this.deleteIfUnchangedSql =
        render(
            dsl,
            dsl.deleteFrom(SESSIONS)
                .where(ID.eq(idParam))
                .and(REVISION.eq(revisionParam))
                .and(expiryDate.gt(now)));
    var load =
        dsl.select(DATA, expiryDate, createdAt, lastAccessedAt, MAX_INACTIVE_SECONDS, REVISION)
            .from(SESSIONS)
            .where(ID.eq(idParam))
            .and(expiryDate.gt(now));
    this.loadSql = render(dsl, load);
    // SQLite has no row locks: there the whole transaction holds the write lock (beginLocked)
    this.loadLockedSql =
        dialect.family() == SQLDialect.SQLITE ? loadSql : render(dsl, load.forUpdate());
    this.deleteSql =
        render(dsl, dsl.deleteFrom(SESSIONS).where(ID.eq(param("id", ID.getDataType()))));
    this.clearUserSql =
        render(
            dsl, dsl.deleteFrom(SESSIONS).where(USER_ID.eq(param("user", USER_ID.getDataType()))));
    this.clearAllSql = render(dsl, dsl.deleteFrom(SESSIONS));
    this.countUserSql =
        render(
            dsl,
            dsl.selectCount()
                .from(SESSIONS)
                .where(USER_ID.eq(param("user", USER_ID.getDataType())))
                .and(expiryDate.gt(now)));
    this.idsForUserSql =
        render(
            dsl,
            dsl.select(ID)
                .from(SESSIONS)
                .where(USER_ID.eq(param("user", USER_ID.getDataType())))
                .and(expiryDate.gt(now))
                .orderBy(ID));
    this.dumpSql = render(dsl, dsl.select(ID, USER_ID, expiryDate).from(SESSIONS).orderBy(ID));
    Field<String> after = param("after", ID.getDataType());
    Field<Integer> limit = param("limit", SQLDataType.INTEGER);
    this.dumpPageSql =
        render(
            dsl,
            dsl.select(ID, USER_ID, expiryDate)
                .from(SESSIONS)
                .where(ID.gt(after))
                .orderBy(ID)
                .limit(limit));
    this.loadPageSql =
        render(
            dsl,
            dsl.select(
                    ID, DATA, expiryDate, createdAt, lastAccessedAt, MAX_INACTIVE_SECONDS, REVISION)
                .from(SESSIONS)
                .where(ID.gt(after))
                .and(expiryDate.gt(now))
                .orderBy(ID)
                .limit(limit));
    // Deleting through a bounded sub-select keeps every transaction small, so a large purge never
    // holds the write lock (SQLite) or many row locks (PostgreSQL) for long.
    // SQLite finds a row by its rowid directly, but by id only through the primary-key index:
    // keying the batch on rowid saves one index search per deleted row.
    Field<Object> rowKey =
        dialect.family() == SQLDialect.SQLITE
            ? field(name("rowid"), SQLDataType.OTHER)
            : field(name("id"), SQLDataType.OTHER);
    this.deleteExpiredBatchSql =
        render(
            dsl,
            dsl.deleteFrom(SESSIONS)
                .where(
                    rowKey.in(
                        select(rowKey)
                            .from(SESSIONS)
                            .where(expiryDate.le(now))
                            .limit(inline(deleteBatchSize)))));
  }

  /** The instant columns, whose SQL type is the backend's. */
  private record Columns(
      Field<Object> expiryDate, Field<Object> createdAt, Field<Object> lastAccessedAt) {}

  /**
   * An insert of one row, bound in the order {@link #bindRow} binds: id, data, expiry, user,
   * created, last accessed, timeout, revision.
   */
  private static InsertValuesStep8<
          Record, String, byte[], Object, String, Object, Object, Integer, Long>
      insertRow(DSLContext dsl, Columns columns, ExpiryColumn expiry) {
    return dsl.insertInto(
            SESSIONS,
            ID,
            DATA,
            columns.expiryDate(),
            USER_ID,
            columns.createdAt(),
            columns.lastAccessedAt(),
            MAX_INACTIVE_SECONDS,
            REVISION)
        .values(
            param("id", ID.getDataType()),
            param("data", DATA.getDataType()),
            param("expiry", expiry.dataType()),
            param("user", USER_ID.getDataType()),
            param("created", expiry.dataType()),
            param("accessed", expiry.dataType()),
            param("timeout", MAX_INACTIVE_SECONDS.getDataType()),
            param("revision", REVISION.getDataType()));
  }

  /**
   * The SET clause of the updates, in the order {@link #bindUpdate} binds it: data, expiry, user,
   * last accessed, timeout; then the revision grows by one. The creation time never changes. A map,
   * because set(Field&lt;Object&gt;, Field&lt;Object&gt;) is ambiguous in jOOQ's API; a linked one,
   * because the bind order must not depend on hashing.
   */
  private static Map<Field<?>, Field<?>> orderedAssignments(Columns columns, ExpiryColumn expiry) {
    Map<Field<?>, Field<?>> assignments = new LinkedHashMap<>();
    assignments.put(DATA, param("data", DATA.getDataType()));
    assignments.put(columns.expiryDate(), param("expiry", expiry.dataType()));
    assignments.put(USER_ID, param("user", USER_ID.getDataType()));
    assignments.put(columns.lastAccessedAt(), param("accessed", expiry.dataType()));
    assignments.put(MAX_INACTIVE_SECONDS, param("timeout", MAX_INACTIVE_SECONDS.getDataType()));
    assignments.put(REVISION, REVISION.plus(inline(1L)));
    return assignments;
  }

  /** How every statement is rendered: plain names, indexed parameters, on one line. */
  static Settings renderSettings() {
    return new Settings()
        .withExecuteLogging(false)
        .withRenderSchema(false)
        .withRenderQuotedNames(RenderQuotedNames.NEVER)
        .withParamType(ParamType.INDEXED)
        .withRenderFormatted(false);
  }

  private static String render(DSLContext dsl, Query query) {
    return dsl.render(query);
  }

  /**
   * Returns the statements this store sends, keyed by operation, for tests and diagnostics.
   *
   * @return operation name to SQL text with {@code ?} placeholders
   */
  public Map<String, String> statements() {
    return Map.ofEntries(
        Map.entry("create", insertIfAbsentSql),
        Map.entry("save", upsertSql),
        Map.entry("update", updateSql),
        Map.entry("updateIfUnchanged", updateIfUnchangedSql),
        Map.entry("rotate", deleteIfUnchangedSql),
        Map.entry("load", loadSql),
        Map.entry("modify", loadLockedSql),
        Map.entry("delete", deleteSql),
        Map.entry("clearSessionsForUser", clearUserSql),
        Map.entry("clearAllSessions", clearAllSql),
        Map.entry("countSessionsForUser", countUserSql),
        Map.entry("getSessionIdsForUser", idsForUserSql),
        Map.entry("dumpAllSessions", dumpSql),
        Map.entry("dumpPage", dumpPageSql),
        Map.entry("loadPage", loadPageSql),
        Map.entry("deleteExpired", deleteExpiredBatchSql));
  }

  /**
   * Returns the data source this store runs on, for migrations and tests.
   *
   * @return the data source
   */
  protected final DataSource dataSource() {
    return dataSource;
  }

  @Override
  public SessionRecord create(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    SessionRecord stamped = record.stampedAt(clock.instant()).withRevision(0);
    byte[] data = json.write(stamped.data());
    return run("create a session", connection -> insertUnderFreeId(connection, stamped, data));
  }

  /** Inserts a row, drawing new ids while the record's is taken; the check is the insert itself. */
  private SessionRecord insertUnderFreeId(Connection connection, SessionRecord record, byte[] data)
      throws SQLException {
    SessionRecord candidate = record;
    try (Prepared prepared = prepare(connection, insertIfAbsentSql)) {
      PreparedStatement statement = prepared.statement();
      for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
        bindRow(statement, candidate, data);
        if (statement.executeUpdate() == 1) {
          return candidate;
        }
        candidate = candidate.withId(SessionId.generate());
      }
    }
    throw new SQLException(
        "no free session id after " + MAX_CREATE_ATTEMPTS + " attempts; check the RNG");
  }

  @Override
  public Optional<SessionRecord> rotate(SessionId from, SessionRecord to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Instant now = clock.instant();
    SessionRecord stamped = to.stampedAt(now);
    SessionRecord inserted = stamped.withRevision(0);
    byte[] data = json.write(stamped.data());
    return run(
        "rotate a session id",
        connection -> {
          connection.setAutoCommit(false);
          try {
            int deleted;
            try (Prepared prepared = prepare(connection, deleteIfUnchangedSql)) {
              PreparedStatement statement = prepared.statement();
              statement.setString(1, from.value());
              statement.setLong(2, stamped.revision());
              expiry.bind(statement, 3, now);
              deleted = statement.executeUpdate();
            }
            Optional<SessionRecord> result =
                deleted == 1
                    ? Optional.of(insertUnderFreeId(connection, inserted, data))
                    : Optional.empty();
            // committing a transaction that deleted nothing ends it as cheaply as a rollback
            connection.commit();
            connection.setAutoCommit(true);
            return result;
          } catch (Throwable e) {
            undo(connection, e);
            throw e;
          }
        });
  }

  @Override
  public void save(SessionRecord record) {
    SessionRecord stamped = Objects.requireNonNull(record, "record").stampedAt(clock.instant());
    byte[] data = json.write(stamped.data());
    run(
        "save a session",
        connection -> {
          try (Prepared prepared = prepare(connection, upsertSql)) {
            PreparedStatement statement = prepared.statement();
            bindRow(statement, stamped, data);
            return statement.executeUpdate();
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction and one batched statement for all of them.
   */
  @Override
  public void saveAll(List<SessionRecord> records) {
    Objects.requireNonNull(records, "records");
    ManagedSessionStore.checkSaveAllSize(records);
    if (records.isEmpty()) {
      return;
    }
    // of two records with one id only the later is written: a batch may not touch a row twice
    // (PostgreSQL refuses that when the driver rewrites the batch into one multi-row insert)
    Map<SessionId, SessionRecord> latest = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      SessionRecord record = Objects.requireNonNull(records.get(i), "records[" + i + "]");
      latest.put(record.id(), record);
    }
    Instant now = clock.instant();
    List<SessionRecord> unique = latest.values().stream().map(r -> r.stampedAt(now)).toList();
    List<byte[]> data = new ArrayList<>(unique.size());
    for (SessionRecord record : unique) {
      data.add(json.write(record.data()));
    }
    run(
        "save sessions",
        connection -> {
          connection.setAutoCommit(false);
          // a statement of its own, not a cached one: a batch left half-built by a failure must
          // not be sent by the next call on this connection
          try (PreparedStatement statement = connection.prepareStatement(upsertSql)) {
            for (int i = 0; i < unique.size(); i++) {
              bindRow(statement, unique.get(i), data.get(i));
              statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
          } catch (Throwable e) {
            undo(connection, e);
            throw e;
          }
          connection.setAutoCommit(true);
          return null;
        });
  }

  /**
   * Aborts a connection whose rollback failed, adding any further failure to {@code failure}: a
   * connection left inside a transaction must not go back to the pool.
   *
   * @param connection the connection
   * @param failure the failure being reported
   */
  protected static void discard(Connection connection, Throwable failure) {
    try {
      connection.abort(Runnable::run);
    } catch (Throwable abort) {
      failure.addSuppressed(abort);
    }
  }

  /**
   * Rolls back a failed transaction and puts the connection back in auto-commit. When the rollback
   * itself fails, the connection is aborted instead: turning auto-commit back on, by us or by a
   * pool, would commit what was written before the failure.
   */
  private static void undo(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (Throwable rollback) {
      failure.addSuppressed(rollback);
      discard(connection, failure);
      return;
    }
    try {
      connection.setAutoCommit(true);
    } catch (Throwable reset) {
      failure.addSuppressed(reset);
    }
  }

  @Override
  public boolean update(SessionRecord record) {
    return update(record, updateSql, false);
  }

  @Override
  public boolean updateIfUnchanged(SessionRecord record) {
    return update(record, updateIfUnchangedSql, true);
  }

  /**
   * Runs one UPDATE of a row's columns by id; when {@code ifUnchanged}, only while the row is live
   * and still at the revision the record was loaded at.
   */
  private boolean update(SessionRecord record, String sql, boolean ifUnchanged) {
    Objects.requireNonNull(record, "record");
    Instant now = clock.instant();
    byte[] data = json.write(record.data());
    return run(
            "update a session",
            connection -> {
              try (Prepared prepared = prepare(connection, sql)) {
                PreparedStatement statement = prepared.statement();
                int next = bindUpdate(statement, record, data, now);
                statement.setString(next, record.id().value());
                if (ifUnchanged) {
                  statement.setLong(next + 1, record.revision());
                  expiry.bind(statement, next + 2, now);
                }
                return statement.executeUpdate();
              }
            })
        > 0;
  }

  @Override
  public Optional<SessionRecord> modify(
      SessionId id, Function<SessionRecord, Optional<SessionRecord>> change) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(change, "change");
    Instant now = clock.instant();
    return run(
        "update a session",
        connection -> {
          beginLocked(connection);
          try {
            Optional<SessionRecord> result = modifyLocked(connection, id, change, now);
            commitLocked(connection);
            return result;
          } catch (Throwable e) {
            rollbackLocked(connection, e);
            throw e;
          }
        });
  }

  private Optional<SessionRecord> modifyLocked(
      Connection connection,
      SessionId id,
      Function<SessionRecord, Optional<SessionRecord>> change,
      Instant now)
      throws SQLException {
    SessionRecord current;
    try (Prepared prepared = prepare(connection, loadLockedSql)) {
      PreparedStatement statement = prepared.statement();
      statement.setString(1, id.value());
      expiry.bind(statement, 2, now);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        current = readRow(rows, 1).toRecord(id, json);
      }
    }
    Optional<SessionRecord> wanted = change.apply(current);
    if (wanted.isEmpty()) {
      return Optional.of(current);
    }
    SessionRecord next = wanted.get().withId(id).withRevision(current.revision());
    byte[] data = json.write(next.data());
    try (Prepared prepared = prepare(connection, updateIfUnchangedSql)) {
      PreparedStatement statement = prepared.statement();
      int index = bindUpdate(statement, next, data, now);
      statement.setString(index, id.value());
      statement.setLong(index + 1, current.revision());
      expiry.bind(statement, index + 2, now);
      if (statement.executeUpdate() != 1) {
        // cannot happen while the row is locked; failing beats writing over a change
        throw new SQLException("the locked session row changed during its update");
      }
    }
    return Optional.of(next.withRevision(current.revision() + 1));
  }

  /**
   * Starts the transaction of {@link #modify}, which must keep the row from changing between its
   * read and its write. The default, for databases with row locks, is an ordinary transaction (the
   * read takes the lock); a backend without them takes a stronger lock here.
   *
   * @param connection the connection
   * @throws SQLException when the transaction cannot start
   */
  protected void beginLocked(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
  }

  /**
   * Commits what {@link #beginLocked} started and leaves the connection in auto-commit.
   *
   * @param connection the connection
   * @throws SQLException when the commit fails
   */
  protected void commitLocked(Connection connection) throws SQLException {
    connection.commit();
    connection.setAutoCommit(true);
  }

  /**
   * Rolls back what {@link #beginLocked} started after a failure, recording any further failure on
   * it, and leaves the connection in auto-commit (or aborts it).
   *
   * @param connection the connection
   * @param failure the failure, to which a failed rollback is added
   */
  protected void rollbackLocked(Connection connection, Throwable failure) {
    undo(connection, failure);
  }

  /**
   * Binds the SET clause as {@link #orderedAssignments} orders it.
   *
   * @return the index of the first parameter after it
   */
  private int bindUpdate(
      PreparedStatement statement, SessionRecord record, byte[] data, Instant now)
      throws SQLException {
    statement.setBytes(1, data);
    expiry.bind(statement, 2, record.expiryDate());
    bindUser(statement, 3, record.userId().orElse(null));
    expiry.bind(statement, 4, record.lastAccessedAt().orElse(now));
    bindTimeout(statement, 5, record.maxInactiveInterval());
    return 6;
  }

  @Override
  public Optional<SessionRecord> load(SessionId id) {
    Objects.requireNonNull(id, "id");
    Instant now = clock.instant();
    Optional<Row> row =
        query(
            "load a session",
            loadSql,
            statement -> {
              statement.setString(1, id.value());
              expiry.bind(statement, 2, now);
            },
            rows -> rows.next() ? Optional.of(readRow(rows, 1)) : Optional.empty());
    // parse outside the connection so the pool gets it back sooner
    return row.map(r -> r.toRecord(id, json));
  }

  /**
   * Reads the columns data, expiry, created, last accessed, timeout and revision, in that order
   * from {@code first}.
   */
  private Row readRow(ResultSet rows, int first) throws SQLException {
    int seconds = rows.getInt(first + 4);
    Optional<Duration> timeout =
        rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    return new Row(
        rows.getBytes(first),
        expiry.read(rows, first + 1),
        expiry.read(rows, first + 2),
        expiry.read(rows, first + 3),
        timeout,
        rows.getLong(first + 5));
  }

  /** A stored row as read, before its data is parsed. */
  private record Row(
      byte[] data,
      Instant expiry,
      Instant createdAt,
      Instant lastAccessedAt,
      Optional<Duration> timeout,
      long revision) {
    SessionRecord toRecord(SessionId id, SessionJson json) {
      return new SessionRecord(
          id,
          json.read(data),
          expiry,
          Optional.of(createdAt),
          Optional.of(lastAccessedAt),
          timeout,
          revision);
    }
  }

  @Override
  public void delete(SessionId id) {
    Objects.requireNonNull(id, "id");
    update("delete a session", deleteSql, statement -> statement.setString(1, id.value()));
  }

  /**
   * No stored session has a user id with NUL (SessionRecord refuses it), and PostgreSQL cannot even
   * compare one, so such a query is answered without the database.
   */
  private static boolean unstorable(String userId) {
    return !SessionRecord.isStorableUserId(userId);
  }

  @Override
  public int clearSessionsForUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    if (unstorable(userId)) {
      return 0;
    }
    return deleteFromSnapshot(
        "clear a user's sessions", clearUserSql, statement -> statement.setString(1, userId));
  }

  @Override
  public int clearAllSessions() {
    return deleteFromSnapshot("clear all sessions", clearAllSql, statement -> {});
  }

  @Override
  public int countSessionsForUser(String userId) {
    return queryLiveOfUser(
        "count a user's sessions",
        countUserSql,
        userId,
        0,
        rows -> {
          rows.next();
          return rows.getInt(1);
        });
  }

  @Override
  public List<SessionId> getSessionIdsForUser(String userId) {
    return queryLiveOfUser(
        "list a user's sessions",
        idsForUserSql,
        userId,
        List.of(),
        rows -> {
          List<SessionId> ids = new ArrayList<>();
          while (rows.next()) {
            // a row written by something else with a malformed id is not a session we made
            SessionId.parse(rows.getString(1)).ifPresent(ids::add);
          }
          return List.copyOf(ids);
        });
  }

  /**
   * Runs a query over a user's live sessions: its parameters are the user id, then now. A user id
   * no row can hold gets {@code none} without a query.
   */
  private <T> T queryLiveOfUser(
      String what, String sql, String userId, T none, RowsReader<T> reader) {
    Objects.requireNonNull(userId, "userId");
    if (unstorable(userId)) {
      return none;
    }
    Instant now = clock.instant();
    return query(
        what,
        sql,
        statement -> {
          statement.setString(1, userId);
          expiry.bind(statement, 2, now);
        },
        reader);
  }

  /** Runs one query on a borrowed connection: binds its parameters, then reads its result. */
  private <T> T query(String what, String sql, Binder binder, RowsReader<T> reader) {
    return run(
        what,
        connection -> {
          try (Prepared prepared = prepare(connection, sql)) {
            PreparedStatement statement = prepared.statement();
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
              return reader.read(rows);
            }
          }
        });
  }

  @Override
  public List<SessionSummary> dumpAllSessions() {
    return run(
        "list all sessions",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(dumpSql);
              ResultSet rows = statement.executeQuery()) {
            List<SessionSummary> sessions = new ArrayList<>();
            readSummaries(rows, sessions);
            return List.copyOf(sessions);
          }
        });
  }

  @Override
  public List<SessionSummary> dumpPage(Optional<SessionId> after, int limit) {
    requirePositive(limit);
    return query(
        "list sessions",
        dumpPageSql,
        statement -> {
          statement.setString(1, after.map(SessionId::value).orElse(""));
          statement.setInt(2, limit);
        },
        rows -> {
          List<SessionSummary> sessions = new ArrayList<>(Math.min(limit, 1024));
          readSummaries(rows, sessions);
          return sessions;
        });
  }

  @Override
  public List<SessionRecord> loadPage(Optional<SessionId> after, int limit) {
    requirePositive(limit);
    Instant now = clock.instant();
    List<IdRow> raw =
        query(
            "read sessions",
            loadPageSql,
            statement -> {
              statement.setString(1, after.map(SessionId::value).orElse(""));
              expiry.bind(statement, 2, now);
              statement.setInt(3, limit);
            },
            result -> {
              List<IdRow> rows = new ArrayList<>(Math.min(limit, 1024));
              while (result.next()) {
                rows.add(new IdRow(result.getString(1), readRow(result, 2)));
              }
              return rows;
            });
    List<SessionRecord> records = new ArrayList<>(raw.size());
    for (IdRow row : raw) {
      SessionId.parse(row.id()).ifPresent(id -> records.add(row.row().toRecord(id, json)));
    }
    return records;
  }

  /** Reads (id, user_id, expiry_date) rows; a row whose id is not one we issue is skipped. */
  private void readSummaries(ResultSet rows, List<SessionSummary> into) throws SQLException {
    while (rows.next()) {
      Optional<SessionId> id = SessionId.parse(rows.getString(1));
      if (id.isPresent()) {
        into.add(
            new SessionSummary(
                id.get(), Optional.ofNullable(rows.getString(2)), expiry.read(rows, 3)));
      }
    }
  }

  private record IdRow(String id, Row row) {}

  private static void requirePositive(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, but is " + limit);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each batch is its own statement and transaction of at most {@link
   * SessionStoreConfig#deleteBatchSize()} rows, so a large purge never blocks other writers for
   * long. A backend shared by several nodes may return 0 at once when another node is cleaning
   * right now (see {@link #tryLockCleanup}).
   */
  @Override
  public int deleteExpired() {
    Instant now = clock.instant();
    return run(
        "delete expired sessions",
        connection -> {
          if (!tryLockCleanup(connection)) {
            return 0;
          }
          try (Prepared prepared = prepare(connection, deleteExpiredBatchSql)) {
            PreparedStatement statement = prepared.statement();
            int total = 0;
            int deleted;
            do {
              expiry.bind(statement, 1, now);
              deleted = statement.executeUpdate();
              total += deleted;
            } while (deleted >= deleteBatchSize);
            return total;
          } finally {
            unlockCleanup(connection);
          }
        });
  }

  /**
   * Decides whether this node may clean expired sessions now. The default always may; a backend
   * shared by several nodes takes a lock tied to this connection so that only one node deletes at a
   * time and the others skip the round instead of deleting the same rows at once.
   *
   * @param connection the connection every batch of this round runs on
   * @return whether to clean now
   * @throws SQLException when the lock cannot be asked for
   */
  protected boolean tryLockCleanup(Connection connection) throws SQLException {
    return true;
  }

  /**
   * Releases what {@link #tryLockCleanup} took; called only when it returned true.
   *
   * @param connection the same connection
   * @throws SQLException when the lock cannot be released
   */
  protected void unlockCleanup(Connection connection) throws SQLException {}

  /**
   * How long each query of {@link #health()} may run before the store counts as down: 5 seconds,
   * well above the milliseconds a healthy server takes, and below a probe's usual timeout.
   */
  public static final int HEALTH_QUERY_TIMEOUT_SECONDS = 5;

  /**
   * {@inheritDoc}
   *
   * <p>Borrows one pooled connection and runs two cheap queries on it: {@code SELECT 1}, then the
   * latest successful version in {@value #SCHEMA_HISTORY_TABLE}, each limited to {@link
   * #HEALTH_QUERY_TIMEOUT_SECONDS}. A store whose schema was never migrated is down: it could not
   * serve a session. Waiting for a connection is bounded by the pool's connection timeout.
   */
  @Override
  public app.getbodhi.session.StoreHealth health() {
    try (Connection connection = dataSource.getConnection()) {
      DSLContext dsl =
          DSL.using(
              connection, org.jooq.tools.jdbc.JDBCUtils.dialect(connection), renderSettings());
      dsl.selectOne().queryTimeout(HEALTH_QUERY_TIMEOUT_SECONDS).fetch();
      Field<String> version = field(name("version"), SQLDataType.VARCHAR);
      Optional<String> schemaVersion;
      try {
        schemaVersion =
            dsl.select(version)
                .from(table(name(SCHEMA_HISTORY_TABLE)))
                .where(field(name("success"), SQLDataType.BOOLEAN).isTrue())
                .and(version.isNotNull())
                .orderBy(field(name("installed_rank"), SQLDataType.INTEGER).desc())
                .limit(inline(1))
                .queryTimeout(HEALTH_QUERY_TIMEOUT_SECONDS)
                .fetchOptional(version);
      } catch (org.jooq.exception.DataAccessException e) {
        return app.getbodhi.session.StoreHealth.down(
            backendName,
            "The "
                + backendName
                + " session schema is missing or unreadable: "
                + DriverMessages.reason(e.getCause() == null ? e : e.getCause())
                + " Run `bodhi-sessions migrate`, or migrate() at start-up.");
      }
      if (schemaVersion.isEmpty()) {
        return app.getbodhi.session.StoreHealth.down(
            backendName,
            "The "
                + backendName
                + " session schema has no successful migration. Run `bodhi-sessions migrate`, or"
                + " migrate() at start-up.");
      }
      return app.getbodhi.session.StoreHealth.up(backendName, schemaVersion);
    } catch (SQLException | RuntimeException e) {
      // a driver's or the pool's message, first line only: it names the failure, never a password
      Throwable cause =
          e instanceof org.jooq.exception.DataAccessException && e.getCause() != null
              ? e.getCause()
              : e;
      return app.getbodhi.session.StoreHealth.down(
          backendName,
          "Could not reach the " + backendName + " session store: " + DriverMessages.reason(cause));
    }
  }

  @Override
  public String backendName() {
    return backendName;
  }

  @Override
  public void close() {
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        throw new SessionServiceException(
            SessionServiceException.Kind.DATABASE,
            "Could not close the " + backendName + " session store's connection pool.",
            e);
      }
    }
  }

  /**
   * Binds a row as {@link #insertRow} orders it: id, data (already encoded), expiry, user, times,
   * timeout, revision. The record must be {@linkplain SessionRecord#stampedAt stamped}.
   */
  private void bindRow(PreparedStatement statement, SessionRecord record, byte[] data)
      throws SQLException {
    statement.setString(1, record.id().value());
    statement.setBytes(2, data);
    expiry.bind(statement, 3, record.expiryDate());
    bindUser(statement, 4, record.userId().orElse(null));
    expiry.bind(statement, 5, record.createdAt().orElseThrow());
    expiry.bind(statement, 6, record.lastAccessedAt().orElseThrow());
    bindTimeout(statement, 7, record.maxInactiveInterval());
    statement.setLong(8, record.revision());
  }

  private static void bindTimeout(
      PreparedStatement statement, int index, Optional<Duration> timeout) throws SQLException {
    if (timeout.isEmpty()) {
      statement.setNull(index, Types.INTEGER);
    } else {
      // SessionRecord keeps the timeout within an int of seconds
      statement.setInt(index, (int) timeout.get().toSeconds());
    }
  }

  /**
   * Binds the {@code user_id} column as the store does: a user id, or SQL {@code NULL} for none.
   * Public so that a benchmark's raw JDBC baseline binds it with no copy, like {@link
   * ExpiryColumn}.
   *
   * @param statement the statement
   * @param index the parameter's index, from 1
   * @param user the user id, or {@code null} for a session without one
   * @throws SQLException on a driver error
   */
  public static void bindUser(PreparedStatement statement, int index, String user)
      throws SQLException {
    if (user == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, user);
    }
  }

  /** Work on a borrowed connection; may throw {@link SQLException}. */
  @FunctionalInterface
  protected interface SqlWork<T> {
    /**
     * Does the work.
     *
     * @param connection a pooled connection in auto-commit mode
     * @return the result
     * @throws SQLException on a database error
     */
    T apply(Connection connection) throws SQLException;
  }

  /**
   * A statement for this call: from the cache (left open for the next call on the connection) or
   * prepared for this call alone (closed after it).
   */
  private Prepared prepare(Connection connection, String sql) throws SQLException {
    return statementCache == null
        ? new Prepared(connection.prepareStatement(sql), true)
        : new Prepared(statementCache.statement(connection, sql), false);
  }

  private record Prepared(PreparedStatement statement, boolean closeAfterUse)
      implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      if (closeAfterUse) {
        statement.close();
      } else {
        // a cached statement would otherwise keep the last session's id and data in memory
        statement.clearParameters();
      }
    }
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Reads a query's result; may throw {@link SQLException}. */
  @FunctionalInterface
  private interface RowsReader<T> {
    T read(ResultSet rows) throws SQLException;
  }

  /** How often a bulk delete is retried after PostgreSQL reports a serialization failure. */
  private static final int MAX_SNAPSHOT_DELETE_ATTEMPTS = 5;

  /** PostgreSQL's SQLState for a serialization failure, which a retry resolves. */
  private static final String SERIALIZATION_FAILURE = "40001";

  /**
   * Runs a bulk delete (logging a user, or everyone, out) so that a concurrent rotation cannot keep
   * the session alive under its new id. Under PostgreSQL's READ COMMITTED, a delete that waits on a
   * row a rotation is moving skips that row once the rotation commits, and its statement snapshot,
   * taken before, never sees the new row. Under REPEATABLE READ the delete fails with a
   * serialization failure instead, and the retry, on a new snapshot, sees and deletes the new row.
   * SQLite runs one writer at a time, so there the delete is a plain statement.
   */
  private int deleteFromSnapshot(String what, String sql, Binder binder) {
    if (!rowLevelConcurrency) {
      return update(what, sql, binder);
    }
    return run(
        what,
        connection -> {
          for (int attempt = 1; ; attempt++) {
            connection.setAutoCommit(false);
            try {
              try (Statement isolation = connection.createStatement()) {
                isolation.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
              }
              int deleted;
              try (Prepared prepared = prepare(connection, sql)) {
                binder.bind(prepared.statement());
                deleted = prepared.statement().executeUpdate();
              }
              connection.commit();
              connection.setAutoCommit(true);
              return deleted;
            } catch (SQLException e) {
              undo(connection, e);
              if (!SERIALIZATION_FAILURE.equals(e.getSQLState())
                  || attempt >= MAX_SNAPSHOT_DELETE_ATTEMPTS) {
                throw e;
              }
            } catch (Throwable e) {
              undo(connection, e);
              throw e;
            }
          }
        });
  }

  private int update(String what, String sql, Binder binder) {
    return run(
        what,
        connection -> {
          try (Prepared prepared = prepare(connection, sql)) {
            PreparedStatement statement = prepared.statement();
            binder.bind(statement);
            return statement.executeUpdate();
          }
        });
  }

  /**
   * Runs work on a pooled connection and turns a {@link SQLException} into a {@link
   * SessionServiceException} of kind DATABASE whose message says what failed and why, without data,
   * ids or passwords.
   *
   * @param what what the work does, as in "Could not {what}"
   * @param work the work
   * @param <T> the result type
   * @return the work's result
   */
  protected final <T> T run(String what, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean done = false;
      try {
        T result = work.apply(connection);
        done = true;
        return result;
      } finally {
        // after any failure, Errors included, no statement of this connection is trusted again
        if (!done && statementCache != null) {
          statementCache.discard(connection);
        }
      }
    } catch (SQLException e) {
      SQLException cause = withoutBatch(e);
      throw new SessionServiceException(
          SessionServiceException.Kind.DATABASE,
          "Could not "
              + what
              + " in the "
              + backendName
              + " session store: "
              + DriverMessages.reason(cause),
          cause);
    }
  }

  /**
   * A batch failure's own message may list the batch's statements with their values (pgjdbc does,
   * unless told not to), which are session ids and data; the database's error is the exception
   * chained to it.
   */
  private static SQLException withoutBatch(SQLException e) {
    if (e instanceof BatchUpdateException && e.getNextException() != null) {
      return e.getNextException();
    }
    return e;
  }
}

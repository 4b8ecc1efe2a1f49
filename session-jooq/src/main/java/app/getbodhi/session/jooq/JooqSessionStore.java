package app.getbodhi.session.jooq;

import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
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

  /**
   * The row key: the session's {@link SessionRef}, a one-way hash of its id (never the id itself;
   * see {@link Sealing}). The column keeps its old name so that the sealing migration can rewrite
   * rows in place.
   */
  public static final Field<String> ID = field(name("id"), SQLDataType.VARCHAR);

  /** The session data: UTF-8 JSON bytes, sealed by {@link Sealing}. */
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
  private final Sealing sealing;

  private final String insertIfAbsentSql;
  private final String upsertSql;
  private final String updateIfUnchangedSql;
  private final String deleteIfUnchangedSql;
  private final String loadSql;
  private final String loadLockedSql;
  private final String deleteSql;
  private final String deleteRefSql;
  private final String refsByPrefixSql;
  private final String clearUserSql;
  private final String clearAllSql;
  private final String countUserSql;
  private final String sessionsForUserSql;
  private final String dumpPageSql;
  private final String loadSealedPageSql;
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
    this.sealing = new Sealing(config.secret(), config.previousSecret());

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
    // While a previous secret is configured, a session may be stored under either of two row
    // keys: every statement by id matches both, and every write moves the row to the current key.
    boolean twoKeys = sealing.hasPrevious();
    org.jooq.Condition keyMatch =
        twoKeys
            ? ID.in(param("key", ID.getDataType()), param("previousKey", ID.getDataType()))
            : ID.eq(param("key", ID.getDataType()));
    Field<Long> revisionParam = param("revision", REVISION.getDataType());
    this.updateIfUnchangedSql =
        render(
            dsl,
            dsl.update(SESSIONS)
                .set(orderedAssignments(columns, expiry, twoKeys))
                .where(keyMatch)
                .and(REVISION.eq(revisionParam))
                .and(expiryDate.gt(now)));
    this.deleteIfUnchangedSql =
        render(
            dsl,
            dsl.deleteFrom(SESSIONS)
                .where(keyMatch)
                .and(REVISION.eq(revisionParam))
                .and(expiryDate.gt(now)));
    var load =
        dsl.select(ID, DATA, expiryDate, createdAt, lastAccessedAt, MAX_INACTIVE_SECONDS, REVISION)
            .from(SESSIONS)
            .where(keyMatch)
            .and(expiryDate.gt(now));
    this.loadSql = render(dsl, load);
    // SQLite has no row locks: there the whole transaction holds the write lock (beginLocked)
    this.loadLockedSql =
        dialect.family() == SQLDialect.SQLITE ? loadSql : render(dsl, load.forUpdate());
    this.deleteSql = render(dsl, dsl.deleteFrom(SESSIONS).where(keyMatch));
    this.deleteRefSql =
        render(dsl, dsl.deleteFrom(SESSIONS).where(ID.eq(param("ref", ID.getDataType()))));
    Field<Integer> prefixLength = param("prefixLength", SQLDataType.INTEGER);
    this.refsByPrefixSql =
        render(
            dsl,
            dsl.select(ID)
                .from(SESSIONS)
                .where(
                    DSL.substring(ID, inline(1), prefixLength)
                        .eq(param("prefix", ID.getDataType())))
                .orderBy(ID)
                .limit(param("limit", SQLDataType.INTEGER)));
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
    this.sessionsForUserSql =
        render(
            dsl,
            dsl.select(ID, USER_ID, expiryDate, createdAt, lastAccessedAt)
                .from(SESSIONS)
                .where(USER_ID.eq(param("user", USER_ID.getDataType())))
                .and(expiryDate.gt(now))
                .orderBy(ID));
    Field<String> after = param("after", ID.getDataType());
    Field<Integer> limit = param("limit", SQLDataType.INTEGER);
    this.dumpPageSql =
        render(
            dsl,
            dsl.select(ID, USER_ID, expiryDate, createdAt, lastAccessedAt)
                .from(SESSIONS)
                .where(ID.gt(after))
                .orderBy(ID)
                .limit(limit));
    this.loadSealedPageSql =
        render(
            dsl,
            dsl.select(
                    ID,
                    DATA,
                    USER_ID,
                    expiryDate,
                    createdAt,
                    lastAccessedAt,
                    MAX_INACTIVE_SECONDS,
                    REVISION)
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
   * The SET clause of the updates, in the order {@link #bindUpdate} binds it: the row key (only
   * while a previous secret is configured, to move the row to the current one), data, expiry, user,
   * last accessed, timeout; then the revision grows by one. The creation time never changes. A map,
   * because set(Field&lt;Object&gt;, Field&lt;Object&gt;) is ambiguous in jOOQ's API; a linked one,
   * because the bind order must not depend on hashing.
   */
  private static Map<Field<?>, Field<?>> orderedAssignments(
      Columns columns, ExpiryColumn expiry, boolean moveKey) {
    Map<Field<?>, Field<?>> assignments = new LinkedHashMap<>();
    if (moveKey) {
      // SQLite rewrites every index of a column named in SET, whatever the value: hence only here
      assignments.put(ID, param("key", ID.getDataType()));
    }
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
        Map.entry("updateIfUnchanged", updateIfUnchangedSql),
        Map.entry("rotate", deleteIfUnchangedSql),
        Map.entry("load", loadSql),
        Map.entry("modify", loadLockedSql),
        Map.entry("delete", deleteSql),
        Map.entry("deleteRef", deleteRefSql),
        Map.entry("findRefsByPrefix", refsByPrefixSql),
        Map.entry("clearSessionsForUser", clearUserSql),
        Map.entry("clearAllSessions", clearAllSql),
        Map.entry("countSessionsForUser", countUserSql),
        Map.entry("getSessionsForUser", sessionsForUserSql),
        Map.entry("dumpPage", dumpPageSql),
        Map.entry("loadSealedPage", loadSealedPageSql),
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

  /**
   * {@inheritDoc}
   *
   * <p>Runs the backend's migrations ({@link #runMigrations}), the sealing one included, then, when
   * rows were sealed, what the backend does to leave no plaintext behind ({@link #afterSealing}).
   */
  @Override
  public final MigrationReport migrate() {
    SealingMigration sealingMigration =
        new SealingMigration(
            sealing, json, SealingMigration.DEFAULT_PAGE_SIZE, !rowLevelConcurrency);
    int applied = runMigrations(sealingMigration);
    long sealed = sealingMigration.sealedRows();
    return new MigrationReport(applied, sealed, sealed > 0 ? afterSealing(sealed) : List.of());
  }

  /**
   * Runs the backend's Flyway migrations with {@link SessionMigrations#migrate}.
   *
   * @param sealingMigration the sealing migration, to hand to Flyway
   * @return how many migrations ran
   * @throws SessionServiceException of kind MIGRATION when one fails
   */
  protected abstract int runMigrations(SealingMigration sealingMigration);

  /**
   * Called when the sealing migration sealed rows: removes, or says how to remove, the plaintext
   * the old rows left in the database's files.
   *
   * @param sealedRows how many rows were sealed
   * @return advice for the operator, one sentence each; empty when nothing is left to do
   */
  protected abstract List<String> afterSealing(long sealedRows);

  @Override
  public SessionRecord create(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    SessionRecord stamped = record.stampedAt(clock.instant()).withRevision(0);
    byte[] plain = json.write(stamped.data());
    Sealed first = sealFor(stamped.id(), plain);
    return run(
        "create a session", connection -> insertUnderFreeId(connection, stamped, plain, first));
  }

  /** The row key and sealed data of one id. */
  private record Sealed(String rowKey, byte[] data) {}

  private Sealed sealFor(SessionId id, byte[] plain) {
    Sealing.Keys keys = sealing.keys(id);
    return new Sealed(keys.current(), sealing.seal(keys, plain));
  }

  /**
   * Inserts a row, drawing new ids while the record's is taken; the check is the insert itself. The
   * data is sealed again for each id drawn, since its key derives from the id.
   */
  private SessionRecord insertUnderFreeId(
      Connection connection, SessionRecord record, byte[] plain, Sealed sealed)
      throws SQLException {
    SessionRecord candidate = record;
    Sealed row = sealed;
    try (Prepared prepared = prepare(connection, insertIfAbsentSql)) {
      PreparedStatement statement = prepared.statement();
      for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
        bindRow(statement, row, candidate);
        if (statement.executeUpdate() == 1) {
          return candidate;
        }
        candidate = candidate.withId(SessionId.generate());
        row = sealFor(candidate.id(), plain);
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
    byte[] plain = json.write(stamped.data());
    Sealed sealed = sealFor(inserted.id(), plain);
    Sealing.Keys old = sealing.keys(from);
    return run(
        "rotate a session id",
        connection -> {
          connection.setAutoCommit(false);
          try {
            int deleted;
            try (Prepared prepared = prepare(connection, deleteIfUnchangedSql)) {
              PreparedStatement statement = prepared.statement();
              int next = bindKeys(statement, 1, old);
              statement.setLong(next, stamped.revision());
              expiry.bind(statement, next + 1, now);
              deleted = statement.executeUpdate();
            }
            Optional<SessionRecord> result =
                deleted == 1
                    ? Optional.of(insertUnderFreeId(connection, inserted, plain, sealed))
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
    Sealed sealed = sealFor(stamped.id(), json.write(stamped.data()));
    run(
        "save a session",
        connection -> {
          try (Prepared prepared = prepare(connection, upsertSql)) {
            PreparedStatement statement = prepared.statement();
            bindRow(statement, sealed, stamped);
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
    List<Sealed> sealed = new ArrayList<>(unique.size());
    for (SessionRecord record : unique) {
      sealed.add(sealFor(record.id(), json.write(record.data())));
    }
    upsertBatch(
        "save sessions",
        unique.size(),
        (statement, i) -> bindRow(statement, sealed.get(i), unique.get(i)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction and one batched statement for all of them.
   */
  @Override
  public void saveAllSealed(List<SealedSession> sessions) {
    Objects.requireNonNull(sessions, "sessions");
    ManagedSessionStore.checkSaveAllSize(sessions);
    Map<SessionRef, SealedSession> latest = new LinkedHashMap<>();
    for (int i = 0; i < sessions.size(); i++) {
      SealedSession session = Objects.requireNonNull(sessions.get(i), "sessions[" + i + "]");
      if (session.sealedData().length > json.maxBytes() + Sealing.OVERHEAD) {
        throw new SessionServiceException(
            SessionServiceException.Kind.SERIALIZATION,
            "A sealed session is "
                + session.sealedData().length
                + " bytes, over the limit of "
                + (json.maxBytes() + Sealing.OVERHEAD)
                + " (SessionStoreConfig.maxDataBytes plus sealing); nothing was written.");
      }
      latest.put(session.ref(), session);
    }
    if (latest.isEmpty()) {
      return;
    }
    List<SealedSession> unique = List.copyOf(latest.values());
    upsertBatch(
        "save sessions", unique.size(), (statement, i) -> bindSealed(statement, unique.get(i)));
  }

  /** Binds the i-th row of a batch. */
  @FunctionalInterface
  private interface RowBinder {
    void bind(PreparedStatement statement, int index) throws SQLException;
  }

  /** Runs the upsert for {@code count} rows as one batch in one transaction. */
  private void upsertBatch(String what, int count, RowBinder binder) {
    run(
        what,
        connection -> {
          connection.setAutoCommit(false);
          // a statement of its own, not a cached one: a batch left half-built by a failure must
          // not be sent by the next call on this connection
          try (PreparedStatement statement = connection.prepareStatement(upsertSql)) {
            for (int i = 0; i < count; i++) {
              binder.bind(statement, i);
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
    Sealing.Keys keys = sealing.keys(record.id());
    byte[] data = sealing.seal(keys, json.write(record.data()));
    return run(
            "update a session",
            connection -> {
              try (Prepared prepared = prepare(connection, sql)) {
                PreparedStatement statement = prepared.statement();
                int next =
                    bindKeys(statement, bindUpdate(statement, keys, record, data, now), keys);
                if (ifUnchanged) {
                  statement.setLong(next, record.revision());
                  expiry.bind(statement, next + 1, now);
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
    Sealing.Keys keys = sealing.keys(id);
    return run(
        "update a session",
        connection -> {
          beginLocked(connection);
          try {
            Optional<SessionRecord> result = modifyLocked(connection, keys, change, now);
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
      Sealing.Keys keys,
      Function<SessionRecord, Optional<SessionRecord>> change,
      Instant now)
      throws SQLException {
    Optional<SessionRecord> stored;
    try (Prepared prepared = prepare(connection, loadLockedSql)) {
      PreparedStatement statement = prepared.statement();
      expiry.bind(statement, bindKeys(statement, 1, keys), now);
      try (ResultSet rows = statement.executeQuery()) {
        stored = open(keys, readRows(rows));
      }
    }
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    SessionRecord current = stored.get();
    Optional<SessionRecord> wanted = change.apply(current);
    if (wanted.isEmpty()) {
      return Optional.of(current);
    }
    SessionRecord next = wanted.get().withId(keys.id()).withRevision(current.revision());
    byte[] data = sealing.seal(keys, json.write(next.data()));
    try (Prepared prepared = prepare(connection, updateIfUnchangedSql)) {
      PreparedStatement statement = prepared.statement();
      int index = bindKeys(statement, bindUpdate(statement, keys, next, data, now), keys);
      statement.setLong(index, current.revision());
      expiry.bind(statement, index + 1, now);
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
      PreparedStatement statement,
      Sealing.Keys keys,
      SessionRecord record,
      byte[] data,
      Instant now)
      throws SQLException {
    int index = 1;
    if (sealing.hasPrevious()) {
      statement.setString(index++, keys.current());
    }
    statement.setBytes(index, data);
    expiry.bind(statement, index + 1, record.expiryDate());
    bindUser(statement, index + 2, record.userId().orElse(null));
    expiry.bind(statement, index + 3, record.lastAccessedAt().orElse(now));
    bindTimeout(statement, index + 4, record.maxInactiveInterval());
    return index + 5;
  }

  /**
   * Binds an id's row keys where a statement matches them: the current one, then the previous one
   * while a previous secret is configured.
   *
   * @return the index of the first parameter after them
   */
  private int bindKeys(PreparedStatement statement, int index, Sealing.Keys keys)
      throws SQLException {
    statement.setString(index, keys.current());
    if (sealing.hasPrevious()) {
      statement.setString(index + 1, keys.previous().orElseThrow());
      return index + 2;
    }
    return index + 1;
  }

  @Override
  public Optional<SessionRecord> load(SessionId id) {
    Objects.requireNonNull(id, "id");
    Instant now = clock.instant();
    Sealing.Keys keys = sealing.keys(id);
    List<Row> rows =
        query(
            "load a session",
            loadSql,
            statement -> expiry.bind(statement, bindKeys(statement, 1, keys), now),
            this::readRows);
    // open and parse outside the connection so the pool gets it back sooner
    return open(keys, rows);
  }

  /**
   * Opens the row an id's keys found: the one under the current key when both keys found one (a
   * session written under the new secret after being loaded under the old), else the one found. A
   * row that fails to open (tampered, truncated, sealed under another secret) is no session.
   */
  private Optional<SessionRecord> open(Sealing.Keys keys, List<Row> rows) {
    Row chosen = null;
    for (Row row : rows) {
      if (chosen == null || row.rowKey().equals(keys.current())) {
        chosen = row;
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    Row row = chosen;
    return sealing
        .open(keys, row.rowKey(), row.data())
        .map(
            plain ->
                new SessionRecord(
                    keys.id(),
                    json.read(plain),
                    row.expiry(),
                    Optional.of(row.createdAt()),
                    Optional.of(row.lastAccessedAt()),
                    row.timeout(),
                    row.revision()));
  }

  /**
   * Reads the rows of a lookup by id, at most two: the columns row key, data, expiry, created, last
   * accessed, timeout and revision, in that order.
   */
  private List<Row> readRows(ResultSet rows) throws SQLException {
    if (!rows.next()) {
      return List.of();
    }
    Row first = readRow(rows);
    return rows.next() ? List.of(first, readRow(rows)) : List.of(first);
  }

  private Row readRow(ResultSet rows) throws SQLException {
    return new Row(
        rows.getString(1),
        rows.getBytes(2),
        expiry.read(rows, 3),
        expiry.read(rows, 4),
        expiry.read(rows, 5),
        readTimeout(rows, 6),
        rows.getLong(7));
  }

  private static Optional<Duration> readTimeout(ResultSet rows, int index) throws SQLException {
    int seconds = rows.getInt(index);
    return rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }

  /** A stored row as read, before its data is opened. */
  private record Row(
      String rowKey,
      byte[] data,
      Instant expiry,
      Instant createdAt,
      Instant lastAccessedAt,
      Optional<Duration> timeout,
      long revision) {}

  @Override
  public void delete(SessionId id) {
    Objects.requireNonNull(id, "id");
    Sealing.Keys keys = sealing.keys(id);
    update("delete a session", deleteSql, statement -> bindKeys(statement, 1, keys));
  }

  @Override
  public boolean delete(SessionRef ref) {
    Objects.requireNonNull(ref, "ref");
    return update(
            "revoke a session", deleteRefSql, statement -> statement.setString(1, ref.value()))
        > 0;
  }

  @Override
  public SessionRef refOf(SessionId id) {
    return sealing.ref(Objects.requireNonNull(id, "id"));
  }

  @Override
  public List<SessionRef> findRefsByPrefix(String prefix, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    requirePositive(limit);
    if (prefix.isEmpty()
        || prefix.length() > SessionRef.LENGTH
        || !SessionRef.wellFormed(pad(prefix))) {
      return List.of();
    }
    return query(
        "find sessions by ref",
        refsByPrefixSql,
        statement -> {
          statement.setInt(1, prefix.length());
          statement.setString(2, prefix);
          statement.setInt(3, limit);
        },
        this::readRefs);
  }

  /** Completes a prefix to a well-formed ref's shape, to check its characters with one rule. */
  private static String pad(String prefix) {
    return prefix + "A".repeat(SessionRef.LENGTH - prefix.length());
  }

  /** Reads a column of row keys; a row that is not one of ours (a legacy id) is skipped. */
  private List<SessionRef> readRefs(ResultSet rows) throws SQLException {
    List<SessionRef> refs = new ArrayList<>();
    while (rows.next()) {
      SessionRef.parse(rows.getString(1)).ifPresent(refs::add);
    }
    return List.copyOf(refs);
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
  public List<SessionSummary> dumpPage(Optional<SessionRef> after, int limit) {
    requirePositive(limit);
    return query(
        "list sessions",
        dumpPageSql,
        statement -> {
          statement.setString(1, after.map(SessionRef::value).orElse(""));
          statement.setInt(2, limit);
        },
        rows -> {
          List<SessionSummary> sessions = new ArrayList<>(Math.min(limit, 1024));
          readSummaries(rows, sessions);
          return sessions;
        });
  }

  @Override
  public List<SealedSession> loadSealedPage(Optional<SessionRef> after, int limit) {
    requirePositive(limit);
    Instant now = clock.instant();
    return query(
        "read sessions",
        loadSealedPageSql,
        statement -> {
          statement.setString(1, after.map(SessionRef::value).orElse(""));
          expiry.bind(statement, 2, now);
          statement.setInt(3, limit);
        },
        result -> {
          List<SealedSession> rows = new ArrayList<>(Math.min(limit, 1024));
          while (result.next()) {
            // a row not yet sealed (the migration has not run) is not copied
            Optional<SessionRef> ref = SessionRef.parse(result.getString(1));
            if (ref.isPresent()) {
              rows.add(
                  new SealedSession(
                      ref.get(),
                      result.getBytes(2),
                      Optional.ofNullable(result.getString(3)),
                      expiry.read(result, 4),
                      expiry.read(result, 5),
                      expiry.read(result, 6),
                      readTimeout(result, 7),
                      result.getLong(8)));
            }
          }
          return rows;
        });
  }

  /**
   * Reads (row key, user_id, expiry_date, created_at, last_accessed_at) rows; a row that is not one
   * of ours is skipped.
   */
  private void readSummaries(ResultSet rows, List<SessionSummary> into) throws SQLException {
    while (rows.next()) {
      Optional<SessionRef> ref = SessionRef.parse(rows.getString(1));
      if (ref.isPresent()) {
        into.add(
            new SessionSummary(
                ref.get(),
                Optional.ofNullable(rows.getString(2)),
                expiry.read(rows, 3),
                Optional.of(expiry.read(rows, 4)),
                Optional.of(expiry.read(rows, 5))));
      }
    }
  }

  @Override
  public List<SessionSummary> getSessionsForUser(String userId) {
    return queryLiveOfUser(
        "list a user's sessions",
        sessionsForUserSql,
        userId,
        List.of(),
        rows -> {
          List<SessionSummary> sessions = new ArrayList<>();
          readSummaries(rows, sessions);
          return List.copyOf(sessions);
        });
  }

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
   * Binds a row as {@link #insertRow} orders it: row key and sealed data, expiry, user, times,
   * timeout, revision. The record must be {@linkplain SessionRecord#stampedAt stamped}.
   */
  private void bindRow(PreparedStatement statement, Sealed sealed, SessionRecord record)
      throws SQLException {
    statement.setString(1, sealed.rowKey());
    statement.setBytes(2, sealed.data());
    expiry.bind(statement, 3, record.expiryDate());
    bindUser(statement, 4, record.userId().orElse(null));
    expiry.bind(statement, 5, record.createdAt().orElseThrow());
    expiry.bind(statement, 6, record.lastAccessedAt().orElseThrow());
    bindTimeout(statement, 7, record.maxInactiveInterval());
    statement.setLong(8, record.revision());
  }

  /** Binds a sealed session as {@link #insertRow} orders it, verbatim. */
  private void bindSealed(PreparedStatement statement, SealedSession session) throws SQLException {
    statement.setString(1, session.ref().value());
    statement.setBytes(2, session.sealedData());
    expiry.bind(statement, 3, session.expiryDate());
    bindUser(statement, 4, session.userId().orElse(null));
    expiry.bind(statement, 5, session.createdAt());
    expiry.bind(statement, 6, session.lastAccessedAt());
    bindTimeout(statement, 7, session.maxInactiveInterval());
    statement.setLong(8, session.revision());
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

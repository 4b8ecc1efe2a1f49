package app.getbodhi.session.jooq;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.MigrationReport;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.StoreHealth;
import app.getbodhi.session.jooq.SqlBackendProfile.NodeLock;
import app.getbodhi.session.jooq.internal.BatchSaves;
import app.getbodhi.session.jooq.internal.HealthCheck;
import app.getbodhi.session.jooq.internal.Jdbc;
import app.getbodhi.session.jooq.internal.Listings;
import app.getbodhi.session.jooq.internal.RowBinding;
import app.getbodhi.session.jooq.internal.RowBinding.Sealed;
import app.getbodhi.session.jooq.internal.Sealing;
import app.getbodhi.session.jooq.internal.SealingMigration;
import app.getbodhi.session.jooq.internal.SessionCodec;
import app.getbodhi.session.jooq.internal.SessionMigrations;
import app.getbodhi.session.jooq.internal.StaleRows;
import app.getbodhi.session.jooq.internal.StatementCache;
import app.getbodhi.session.jooq.internal.Statements;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The session store every SQL backend shares. Every statement is written once with jOOQ's DSL,
 * rendered in the backend's dialect when the store is built, and then run as a plain JDBC {@link
 * PreparedStatement}: a call costs the statement it sends, with no per-call rendering, logging or
 * reflection.
 *
 * <p>A backend subclasses this with its {@link SqlBackendProfile}, which holds everything that
 * differs between databases, and says what to do after rows were sealed ({@link #afterSealing}); it
 * is not meant for applications. Thread-safe: each call borrows its own connection, and the only
 * mutable state, the statement cache of a backend that keeps one, is per connection.
 *
 * <p>While a previous secret is configured, every write by id leaves the session one row, under the
 * current secret's key ({@link StaleRows}): one more statement per write, in one transaction, for
 * as long as the previous secret stays configured. {@code saveAllSealed} copies rows verbatim:
 * moving one needs the id, so a copied row moves on the session's next write.
 */
public abstract class JooqSessionStore implements ManagedSessionStore {

  static {
    // jOOQ prints a banner and tips on first use unless told not to; a library must not print.
    System.getProperties().putIfAbsent("org.jooq.no-logo", "true");
    System.getProperties().putIfAbsent("org.jooq.no-tips", "true");
  }

  /** How many ids {@link #create} draws before it gives up; a collision is already 2^-128. */
  private static final int MAX_CREATE_ATTEMPTS = 8;

  private final SqlBackendProfile profile;
  private final AutoCloseable ownedPool;
  private final DataSource migrationConnections;
  private final Clock clock;
  private final SessionCodec codec;
  private final int deleteBatchSize;
  private final Jdbc jdbc;
  private final Statements sql;
  private final RowBinding rows;
  private final Listings listings;
  private final StaleRows stale;
  private final BatchSaves batches;

  /**
   * Renders the statements for a backend.
   *
   * @param dataSource where connections come from
   * @param ownedPool the pool to close in {@link #close()}, or {@code null} when the caller owns
   *     the data source
   * @param profile what differs between backends
   * @param config clock, secrets, size limit and batch size
   * @param cacheStatementsOf for a driver that prepares every statement afresh, the type its pooled
   *     connections unwrap to, so that each connection keeps its statements between calls; empty to
   *     prepare and close one per call (for drivers that cache themselves, and for data sources
   *     whose pooling the store does not know)
   */
  protected JooqSessionStore(
      DataSource dataSource,
      AutoCloseable ownedPool,
      SqlBackendProfile profile,
      SessionStoreConfig config,
      Optional<Class<? extends Connection>> cacheStatementsOf) {
    this(dataSource, ownedPool, dataSource, profile, config, cacheStatementsOf);
  }

  /**
   * Renders the statements for a server backend over {@link ServerPool#connect}'s connections: the
   * store owns the pool, {@link #migrate()} uses the unpooled ones, and no statement is cached.
   *
   * @param connections the pool and the unpooled connections
   * @param profile what differs between backends
   * @param config clock, secrets, size limit and batch size
   */
  protected JooqSessionStore(
      ServerPool.Connections connections, SqlBackendProfile profile, SessionStoreConfig config) {
    this(
        connections.pool(),
        connections.pool(),
        connections.unpooled(),
        profile,
        config,
        Optional.empty());
  }

  private JooqSessionStore(
      DataSource dataSource,
      AutoCloseable ownedPool,
      DataSource migrationConnections,
      SqlBackendProfile profile,
      SessionStoreConfig config,
      Optional<Class<? extends Connection>> cacheStatementsOf) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.ownedPool = ownedPool;
    this.migrationConnections = Objects.requireNonNull(migrationConnections);
    this.clock = config.clock();
    this.codec = new SessionCodec(config);
    this.deleteBatchSize = config.deleteBatchSize();
    boolean twoKeys = codec.sealing().hasPrevious();
    this.jdbc =
        new Jdbc(
            Objects.requireNonNull(dataSource, "dataSource"),
            cacheStatementsOf.map(StatementCache::unwrapping),
            profile.backendName());
    // While a previous secret is configured, a session may be stored under either of two row
    // keys: every statement by id matches both, and every write leaves one row, under the current
    // key (see StaleRows).
    this.sql = new Statements(profile, twoKeys, deleteBatchSize);
    this.rows = new RowBinding(profile.expiry(), twoKeys);
    this.listings = new Listings(jdbc, sql, rows, profile.expiry(), clock);
    this.stale = new StaleRows(jdbc, sql, twoKeys);
    this.batches = new BatchSaves(jdbc, sql, rows, codec, stale, profile.retryable());
  }

  /**
   * Returns the statements this store sends, keyed by operation, for tests and diagnostics.
   *
   * @return operation name to SQL text with {@code ?} placeholders
   */
  public Map<String, String> statements() {
    return sql.byOperation();
  }

  /**
   * Returns the data source this store runs on.
   *
   * @return the data source
   */
  protected final DataSource dataSource() {
    return jdbc.dataSource();
  }

  /**
   * Where {@link #migrate()} gets its connections: the node lock's (held throughout) and Flyway's
   * two: the unpooled ones of {@link ServerPool.Connections}, since a small pool could not lend
   * three at once; else the store's own data source.
   *
   * @return the data source
   */
  protected DataSource migrationConnections() {
    return migrationConnections;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs the backend's Flyway migrations from its profile's location (under its node lock, when
   * it has one), the shared sealing migration included, then, when rows were sealed, what the
   * backend does to leave no plaintext behind ({@link #afterSealing}).
   */
  @Override
  public final MigrationReport migrate() {
    SealingMigration sealingMigration =
        new SealingMigration(
            codec.sealing(), codec.json(), SealingMigration.DEFAULT_PAGE_SIZE, profile.rowid());
    int applied = SessionMigrations.migrate(migrationConnections(), profile, sealingMigration);
    long sealed = sealingMigration.sealedRows();
    return new MigrationReport(applied, sealed, sealed > 0 ? afterSealing(sealed) : List.of());
  }

  /**
   * Called when the sealing migration sealed rows: removes, or says how to remove, the plaintext
   * the old rows left in the database's files.
   *
   * @param sealedRows how many rows were sealed
   * @return advice for the operator, one sentence each; empty when nothing is left to do
   */
  protected abstract List<String> afterSealing(long sealedRows);

  /**
   * Runs work on a pooled connection, turning a {@link SQLException} into a {@link
   * SessionServiceException} of kind DATABASE whose message says what failed, without data, ids or
   * passwords.
   *
   * @param what what the work does, as in "Could not {what}"
   * @param work the work
   * @param <T> the result type
   * @return the work's result
   */
  protected final <T> T run(String what, Jdbc.SqlWork<T> work) {
    return jdbc.run(what, work);
  }

  @Override
  public SessionRecord create(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    SessionRecord stamped = record.stampedAt(clock.instant()).withRevision(0);
    byte[] plain = codec.plain(stamped);
    Sealed first = codec.seal(stamped.id(), plain);
    return run(
        "create a session", connection -> insertUnderFreeId(connection, stamped, plain, first));
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
    try (Jdbc.Prepared prepared = jdbc.prepare(connection, sql.insertIfAbsent)) {
      PreparedStatement statement = prepared.statement();
      for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
        rows.bindRow(statement, row, candidate);
        if (statement.executeUpdate() == 1) {
          return candidate;
        }
        candidate = candidate.withId(SessionId.generate());
        row = codec.seal(candidate.id(), plain);
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
    byte[] plain = codec.plain(stamped);
    Sealed sealed = codec.seal(inserted.id(), plain);
    Sealing.Keys old = codec.sealing().keys(from);
    return transaction(
        "rotate a session id",
        connection -> {
          stale.beforeChange(connection, old);
          int deleted =
              jdbc.update(
                  connection,
                  sql.deleteIfUnchanged,
                  statement -> {
                    int next = rows.bindKeys(statement, 1, old);
                    statement.setLong(next, stamped.revision());
                    profile.expiry().bind(statement, next + 1, now);
                  });
          // committing a transaction that deleted nothing ends it as cheaply as a rollback
          return deleted == 1
              ? Optional.of(insertUnderFreeId(connection, inserted, plain, sealed))
              : Optional.<SessionRecord>empty();
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>While a previous secret is configured, the row under the previous key is deleted in the same
   * transaction, so that the session keeps one row, under the current key.
   */
  @Override
  public void save(SessionRecord record) {
    SessionRecord stamped = Objects.requireNonNull(record, "record").stampedAt(clock.instant());
    Sealing.Keys keys = codec.sealing().keys(stamped.id());
    Sealed sealed = new Sealed(keys.current(), codec.seal(keys, stamped));
    if (!stale.twoKeys()) {
      jdbc.update(
          "save a session", sql.upsert, statement -> rows.bindRow(statement, sealed, stamped));
      return;
    }
    transaction(
        "save a session",
        connection -> {
          stale.beforeOverwrite(connection, keys);
          return jdbc.update(
              connection, sql.upsert, statement -> rows.bindRow(statement, sealed, stamped));
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction and one batched statement for all of them.
   */
  @Override
  public void saveAll(List<SessionRecord> records) {
    batches.saveAll(records, clock.instant());
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction and one batched statement for all of them.
   */
  @Override
  public void saveAllSealed(List<SealedSession> sessions) {
    batches.saveAllSealed(sessions);
  }

  /**
   * Runs work in one transaction, retried from the start when it fails with an error the profile
   * calls {@linkplain SqlBackendProfile#retryable retryable} (a deadlock, a serialization failure).
   */
  private <T> T transaction(String what, Jdbc.SqlWork<T> work) {
    return jdbc.transaction(
        what,
        List.of(),
        profile.retryable(),
        SqlBackendProfile.BulkDelete.DEFAULT_MAX_ATTEMPTS,
        work);
  }

  @Override
  public boolean updateIfUnchanged(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    Instant now = clock.instant();
    Sealing.Keys keys = codec.sealing().keys(record.id());
    byte[] data = codec.seal(keys, record);
    Jdbc.Binder binder = statement -> bindConditionalUpdate(statement, keys, record, data, now);
    if (!stale.twoKeys()) {
      return jdbc.update("update a session", sql.updateIfUnchanged, binder) > 0;
    }
    return transaction(
        "update a session",
        connection -> {
          stale.beforeChange(connection, keys);
          return jdbc.update(connection, sql.updateIfUnchanged, binder) > 0;
        });
  }

  /** Binds {@link Statements#updateIfUnchanged}: SET, keys, the record's revision, now. */
  private void bindConditionalUpdate(
      PreparedStatement statement,
      Sealing.Keys keys,
      SessionRecord record,
      byte[] data,
      Instant now)
      throws SQLException {
    int next =
        rows.bindKeys(
            statement, rows.bindUpdate(statement, keys.current(), record, data, now), keys);
    statement.setLong(next, record.revision());
    profile.expiry().bind(statement, next + 1, now);
  }

  @Override
  public Optional<SessionRecord> modify(
      SessionId id, Function<SessionRecord, Optional<SessionRecord>> change) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(change, "change");
    Instant now = clock.instant();
    Sealing.Keys keys = codec.sealing().keys(id);
    return jdbc.locked(
        "update a session",
        profile.rowLock(),
        connection -> modifyLocked(connection, keys, change, now));
  }

  private Optional<SessionRecord> modifyLocked(
      Connection connection,
      Sealing.Keys keys,
      Function<SessionRecord, Optional<SessionRecord>> change,
      Instant now)
      throws SQLException {
    stale.beforeChange(connection, keys);
    Optional<SessionRecord> stored =
        codec.open(
            keys,
            jdbc.query(
                connection,
                sql.loadLocked,
                statement ->
                    profile.expiry().bind(statement, rows.bindKeys(statement, 1, keys), now),
                rows::readRows));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    SessionRecord current = stored.get();
    Optional<SessionRecord> wanted = change.apply(current);
    if (wanted.isEmpty()) {
      return Optional.of(current);
    }
    SessionRecord next = wanted.get().withId(keys.id()).withRevision(current.revision());
    byte[] data = codec.seal(keys, next);
    int updated =
        jdbc.update(
            connection,
            sql.updateIfUnchanged,
            statement -> bindConditionalUpdate(statement, keys, next, data, now));
    if (updated != 1) {
      // cannot happen while the row is locked; failing beats writing over a change
      throw new SQLException("the locked session row changed during its update");
    }
    return Optional.of(next.withRevision(current.revision() + 1));
  }

  @Override
  public Optional<SessionRecord> load(SessionId id) {
    Objects.requireNonNull(id, "id");
    Instant now = clock.instant();
    Sealing.Keys keys = codec.sealing().keys(id);
    List<RowBinding.Row> found =
        jdbc.query(
            "load a session",
            sql.load,
            statement -> profile.expiry().bind(statement, rows.bindKeys(statement, 1, keys), now),
            rows::readRows);
    // open and parse outside the connection so the pool gets it back sooner
    return codec.open(keys, found);
  }

  @Override
  public void delete(SessionId id) {
    Objects.requireNonNull(id, "id");
    Sealing.Keys keys = codec.sealing().keys(id);
    jdbc.update("delete a session", sql.delete, statement -> rows.bindKeys(statement, 1, keys));
  }

  @Override
  public boolean delete(SessionRef ref) {
    Objects.requireNonNull(ref, "ref");
    return jdbc.update(
            "revoke a session", sql.deleteRef, statement -> statement.setString(1, ref.value()))
        > 0;
  }

  @Override
  public SessionRef refOf(SessionId id) {
    return codec.sealing().ref(Objects.requireNonNull(id, "id"));
  }

  @Override
  public int clearSessionsForUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    if (!SessionRecord.isStorableUserId(userId)) {
      return 0;
    }
    return bulkDelete(
        "clear a user's sessions", sql.clearUser, statement -> statement.setString(1, userId));
  }

  @Override
  public int clearAllSessions() {
    return bulkDelete("clear all sessions", sql.clearAll, statement -> {});
  }

  /**
   * Runs a bulk delete (logging a user, or everyone, out) so that a concurrent rotation cannot keep
   * the session alive under its new id, as the profile's {@link SqlBackendProfile.BulkDelete} says.
   */
  private int bulkDelete(String what, String statementSql, Jdbc.Binder binder) {
    SqlBackendProfile.BulkDelete policy = profile.bulkDelete();
    if (policy.plain()) {
      return jdbc.update(what, statementSql, binder);
    }
    return jdbc.transaction(
        what,
        policy.setUp(),
        profile.retryable(),
        policy.maxAttempts(),
        connection -> jdbc.update(connection, statementSql, binder));
  }

  @Override
  public List<SessionRef> findRefsByPrefix(String prefix, int limit) {
    return listings.findRefsByPrefix(prefix, limit);
  }

  @Override
  public int countSessionsForUser(String userId) {
    return listings.countSessionsForUser(userId);
  }

  @Override
  public List<SessionSummary> getSessionsForUser(String userId) {
    return listings.getSessionsForUser(userId);
  }

  @Override
  public List<SessionSummary> dumpPage(Optional<SessionRef> after, int limit) {
    return listings.dumpPage(after, limit);
  }

  @Override
  public List<SealedSession> loadSealedPage(Optional<SessionRef> after, int limit) {
    return listings.loadSealedPage(after, limit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each batch is its own statement and transaction of at most {@link
   * SessionStoreConfig#deleteBatchSize()} rows, so a large purge never blocks other writers for
   * long. On a backend shared by several nodes, a node returns 0 at once when another node holds
   * the cleanup lock, instead of deleting the same rows at the same time.
   */
  @Override
  public int deleteExpired() {
    Instant now = clock.instant();
    Optional<NodeLock> lock = profile.nodeLock();
    return run(
        "delete expired sessions",
        connection -> {
          if (lock.isPresent() && !lock.get().tryAcquire(connection, NodeLock.Purpose.CLEANUP)) {
            return 0;
          }
          try (Jdbc.Prepared prepared = jdbc.prepare(connection, sql.deleteExpiredBatch)) {
            PreparedStatement statement = prepared.statement();
            int total = 0;
            int deleted;
            do {
              profile.expiry().bind(statement, 1, now);
              deleted = statement.executeUpdate();
              total += deleted;
            } while (deleted >= deleteBatchSize);
            return total;
          } finally {
            if (lock.isPresent()) {
              lock.get().release(connection, NodeLock.Purpose.CLEANUP);
            }
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Borrows one pooled connection and runs two cheap queries on it: {@code SELECT 1}, then the
   * latest successful schema version, each limited to a few seconds.
   */
  @Override
  public StoreHealth health() {
    return HealthCheck.check(dataSource(), profile.dialect(), profile.backendName());
  }

  @Override
  public String backendName() {
    return profile.backendName();
  }

  @Override
  public void close() {
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        throw new SessionServiceException(
            SessionServiceException.Kind.DATABASE,
            "Could not close the " + backendName() + " session store's connection pool.",
            e);
      }
    }
  }
}

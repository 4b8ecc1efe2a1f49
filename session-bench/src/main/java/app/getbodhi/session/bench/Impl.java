package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.jooq.StoreProbe;
import app.getbodhi.session.web.SessionHandle;
import app.getbodhi.session.web.SessionManagerLayer;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One implementation under test, on the point benchmarks' table of {@link BenchData#POINT_ROWS}
 * sessions: ours (the store, sealed rows, and the {@link SessionHandle} request cycle the filter
 * runs), raw JDBC (the store's own SQL text through plain PreparedStatements on the same kind of
 * pool, on a plain copy of the table; no JSON, no sealing) or Spring Session JDBC ({@link
 * JdbcIndexedSessionRepository} with its shipped schema).
 */
abstract class Impl implements AutoCloseable {

  static final String[] IDS = new String[BenchData.POINT_ROWS];
  static final SessionId[] SESSION_IDS = new SessionId[BenchData.POINT_ROWS];
  static final String[] USERS = new String[BenchData.POINT_ROWS];
  static final int UNKNOWN = 4096;
  static final String[] UNKNOWN_IDS = new String[UNKNOWN];
  static final SessionId[] UNKNOWN_SESSION_IDS = new SessionId[UNKNOWN];

  static {
    for (int i = 0; i < IDS.length; i++) {
      IDS[i] = BenchData.idValue(BenchData.POINT_SEED, i);
      SESSION_IDS[i] = SessionId.parse(IDS[i]).orElseThrow();
      USERS[i] = BenchData.user(i);
    }
    for (int i = 0; i < UNKNOWN; i++) {
      UNKNOWN_IDS[i] = BenchData.idValue(BenchData.UNKNOWN_SEED, i);
      UNKNOWN_SESSION_IDS[i] = SessionId.parse(UNKNOWN_IDS[i]).orElseThrow();
    }
  }

  /** The user of every session {@code create} makes, in every implementation. */
  static final String CREATED_USER = "user-template";

  /** The user of every session inserted for {@code delete} to remove. */
  static final String VICTIM_USER = "victim";

  final BenchDb db;

  Impl(BenchDb db) {
    this.db = db;
  }

  static Impl open(String name, BenchDb db) {
    return switch (name) {
      case "ours" -> new Ours(db);
      case "raw" -> new Raw(db, false);
      case "rawReuse" -> new Raw(db, true);
      case "spring" -> new Spring(db);
      default -> throw new IllegalArgumentException("unknown implementation " + name);
    };
  }

  /** Loads session i of the table. */
  final Object load(int i) {
    return load(IDS[i], SESSION_IDS[i]);
  }

  /** Loads the i-th of {@link #UNKNOWN} ids that no session has. */
  final Object loadUnknown(int i) {
    return load(UNKNOWN_IDS[i], UNKNOWN_SESSION_IDS[i]);
  }

  /**
   * Loads a session by id, given both as text and parsed, so that no implementation parses it in
   * the measurement.
   */
  abstract Object load(String id, SessionId parsed);

  /** Saves (overwrites) session i with a new visit count. */
  abstract void save(int i, long visits);

  abstract Object create();

  abstract void delete(String id);

  /** A request that reads the session and changes nothing. */
  abstract Object readRequest(int i);

  /** A request that reads the session and changes one attribute. */
  abstract void writeRequest(int i, long visits);

  /** Inserts sessions for {@link #delete} to remove; returns their ids. */
  abstract String[] insertVictims(int count) throws SQLException;

  @Override
  public abstract void close();

  static String[] randomIds(int count) {
    String[] ids = new String[count];
    for (int i = 0; i < count; i++) {
      ids[i] = SessionId.generate().value();
    }
    return ids;
  }

  /** Our store, opened through its public entry point, and the session layer's request cycle. */
  static final class Ours extends Impl {
    final ManagedSessionStore store;
    final SessionManagerLayer layer;
    final Map<String, Object> template = BenchData.data(CREATED_USER, 7, 0);

    Ours(BenchDb db) {
      super(db);
      this.store = db.openOurs();
      this.layer = SessionManagerLayer.of(store);
    }

    @Override
    Object load(String id, SessionId parsed) {
      return store.load(parsed);
    }

    @Override
    void save(int i, long visits) {
      Map<String, Object> data = new LinkedHashMap<>(template);
      data.put("user_id", USERS[i]);
      data.put("visits", visits);
      store.save(new SessionRecord(SESSION_IDS[i], data, Instant.now().plus(BenchData.EXPIRY)));
    }

    @Override
    Object create() {
      return store.create(
          new SessionRecord(SessionId.generate(), template, Instant.now().plus(BenchData.EXPIRY)));
    }

    @Override
    void delete(String id) {
      store.delete(SessionId.parse(id).orElseThrow());
    }

    @Override
    Object readRequest(int i) {
      SessionHandle handle = new SessionHandle(layer, List.of(IDS[i]));
      Optional<Object> user = handle.get("user_id");
      handle.commit(false);
      return user;
    }

    @Override
    void writeRequest(int i, long visits) {
      SessionHandle handle = new SessionHandle(layer, List.of(IDS[i]));
      handle.get("user_id");
      handle.put("visits", visits);
      handle.commit(false);
    }

    /** Victims go in through the store, sealed, as any session it holds. */
    @Override
    String[] insertVictims(int count) {
      String[] ids = randomIds(count);
      Map<String, Object> data = BenchData.data(VICTIM_USER, 1, 0);
      Instant expiry = Instant.now().plus(BenchData.EXPIRY);
      Fixtures.saveThroughStore(
          store,
          count,
          i -> new SessionRecord(SessionId.parse(ids[(int) i]).orElseThrow(), data, expiry));
      return ids;
    }

    @Override
    public void close() {
      store.close();
    }
  }

  /**
   * The store's SQL, literally, through {@link PlainJdbc}: the floor, with each statement prepared
   * per call or, with {@code reuse}, the lower floor, kept per connection as our SQLite store does.
   *
   * <p>It runs on {@link Fixtures#PLAIN_TABLE}, not on the store's table: since sealing, the
   * store's table holds row keys (hashes of the ids) and sealed data, which plain JDBC could only
   * use by doing the store's hashing and decryption itself. The plain table holds the same sessions
   * as the store kept them before sealing (the id as the key, plain JSON as the data), with the
   * same columns and indexes, so this baseline is what the issue names: raw JDBC reading the same
   * row in plain JSON. Its statements are the store's own text with only the table renamed.
   */
  static final class Raw extends Impl {
    final PlainJdbc jdbc;
    final String loadSql;
    final String saveSql;
    final String updateSql;
    final String createSql;
    final String deleteSql;
    final byte[] bytes = BenchData.json(BenchData.data(CREATED_USER, 7, 0));

    Raw(BenchDb db, boolean reuse) {
      super(db);
      this.jdbc = new PlainJdbc(db, BenchDb.POOL_SIZE, reuse);
      this.loadSql = onPlainTable(jdbc.storeSql("load"));
      this.saveSql = onPlainTable(jdbc.storeSql("save"));
      this.updateSql = onPlainTable(jdbc.storeSql("updateIfUnchanged"));
      this.createSql = onPlainTable(jdbc.storeSql("create"));
      this.deleteSql = onPlainTable(jdbc.storeSql("delete"));
    }

    /** The store's statement, on the plain table. */
    static String onPlainTable(String sql) {
      String renamed = sql.replaceAll("\\b" + Fixtures.TABLE + "\\b", Fixtures.PLAIN_TABLE);
      if (renamed.equals(sql)) {
        throw new IllegalStateException("the store's statement names no table: " + sql);
      }
      return renamed;
    }

    /** The columns a request needs of a loaded row: its data and its revision. */
    private record Loaded(byte[] data, long revision) {}

    private Loaded loadRow(String id) {
      return jdbc.query(
          loadSql,
          id,
          rows -> {
            if (!rows.next()) {
              return null;
            }
            // the store's load: key, data, expiry, created, last accessed, timeout, revision
            byte[] data = rows.getBytes(2);
            db.expiry.read(rows, 3);
            return new Loaded(data, rows.getLong(7));
          });
    }

    private byte[] loadBytes(String id) {
      Loaded row = loadRow(id);
      return row == null ? null : row.data();
    }

    /**
     * Binds the store's insert: id, data, expiry, user, created, last accessed, timeout, revision.
     */
    private int write(String sql, String id, byte[] data, String user) {
      return jdbc.with(
          sql,
          statement -> {
            Instant now = Instant.now();
            statement.setString(1, id);
            statement.setBytes(2, data);
            db.expiry.bind(statement, 3, now.plus(BenchData.EXPIRY));
            StoreProbe.bindUser(statement, 4, user);
            db.expiry.bind(statement, 5, now);
            db.expiry.bind(statement, 6, now);
            statement.setNull(7, Types.INTEGER);
            statement.setLong(8, 0);
            return statement.executeUpdate();
          });
    }

    /**
     * Binds the store's conditional update: data, expiry, user, last accessed, timeout, then id,
     * revision and now.
     */
    private int update(String id, byte[] data, String user, long revision) {
      return jdbc.with(
          updateSql,
          statement -> {
            Instant now = Instant.now();
            statement.setBytes(1, data);
            db.expiry.bind(statement, 2, now.plus(BenchData.EXPIRY));
            StoreProbe.bindUser(statement, 3, user);
            db.expiry.bind(statement, 4, now);
            statement.setNull(5, Types.INTEGER);
            statement.setString(6, id);
            statement.setLong(7, revision);
            db.expiry.bind(statement, 8, now);
            return statement.executeUpdate();
          });
    }

    @Override
    Object load(String id, SessionId parsed) {
      return loadBytes(id);
    }

    @Override
    void save(int i, long visits) {
      write(saveSql, IDS[i], bytes, USERS[i]);
    }

    @Override
    Object create() {
      String id = SessionId.generate().value();
      if (write(createSql, id, bytes, CREATED_USER) != 1) {
        throw new IllegalStateException("id taken");
      }
      return id;
    }

    @Override
    void delete(String id) {
      jdbc.with(
          deleteSql,
          statement -> {
            statement.setString(1, id);
            return statement.executeUpdate();
          });
    }

    @Override
    Object readRequest(int i) {
      return loadBytes(IDS[i]);
    }

    @Override
    void writeRequest(int i, long visits) {
      Loaded row = loadRow(IDS[i]);
      // the same two statements as ours; a lost race writes nothing here, which only flatters
      // this floor
      update(IDS[i], bytes, USERS[i], row == null ? 0 : row.revision());
    }

    /** Victims go into the plain table, plain. */
    @Override
    String[] insertVictims(int count) throws SQLException {
      String[] ids = randomIds(count);
      byte[] data = BenchData.json(BenchData.data(VICTIM_USER, 1, 0));
      Instant expiry = Instant.now().plus(BenchData.EXPIRY);
      Fixtures.insertInto(
          db,
          jdbc.pool,
          Fixtures.PLAIN_TABLE,
          count,
          i -> new Fixtures.Row(ids[(int) i], data, expiry, VICTIM_USER));
      return ids;
    }

    @Override
    public void close() {
      jdbc.close();
    }
  }

  /**
   * Spring Session JDBC as a Spring application runs it: SessionRepositoryFilter loads the session,
   * marks it accessed, and saves it when the request ends.
   */
  static final class Spring extends Impl {
    static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;
    final HikariDataSource pool;

    /** The repository, seen through its interface: its session class is not public. */
    final SessionRepository<Session> repository;

    final Map<String, Object> template = BenchData.springAttributes(CREATED_USER, 7, 0);

    Spring(BenchDb db) {
      super(db);
      this.pool = db.openPool(BenchDb.POOL_SIZE, true);
      this.repository = repository(pool);
    }

    /**
     * Spring Session JDBC's repository over a data source holding its schema, with its default
     * settings but for the timeout of new sessions (the fixture's).
     */
    static SessionRepository<Session> repository(javax.sql.DataSource dataSource) {
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      TransactionTemplate transactions =
          new TransactionTemplate(new DataSourceTransactionManager(dataSource));
      JdbcIndexedSessionRepository jdbcRepository =
          new JdbcIndexedSessionRepository(jdbc, transactions);
      jdbcRepository.setDefaultMaxInactiveInterval(BenchData.EXPIRY);
      return asSessionRepository(jdbcRepository);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SessionRepository<Session> asSessionRepository(SessionRepository repository) {
      return repository;
    }

    @Override
    Object load(String id, SessionId parsed) {
      return repository.findById(id);
    }

    @Override
    void save(int i, long visits) {
      // Spring saves a session object it loaded; the load is not part of this figure, so each
      // thread keeps its own loaded session (i is the thread's own session)
      Session session = SAVED.get();
      if (session == null || !session.getId().equals(IDS[i])) {
        session = repository.findById(IDS[i]);
        SAVED.set(session);
      }
      session.setAttribute("visits", visits);
      repository.save(session);
    }

    private static final ThreadLocal<Session> SAVED = new ThreadLocal<>();

    @Override
    Object create() {
      Session session = repository.createSession();
      for (Map.Entry<String, Object> entry : template.entrySet()) {
        session.setAttribute(entry.getKey(), entry.getValue());
      }
      repository.save(session);
      return session;
    }

    @Override
    void delete(String id) {
      repository.deleteById(id);
    }

    @Override
    Object readRequest(int i) {
      Session session = repository.findById(IDS[i]);
      Object user = session.getAttribute(PRINCIPAL);
      session.setLastAccessedTime(Instant.now());
      repository.save(session);
      return user;
    }

    @Override
    void writeRequest(int i, long visits) {
      Session session = repository.findById(IDS[i]);
      session.getAttribute(PRINCIPAL);
      session.setLastAccessedTime(Instant.now());
      session.setAttribute("visits", visits);
      repository.save(session);
    }

    @Override
    String[] insertVictims(int count) throws SQLException {
      String[] ids = randomIds(count);
      long now = System.currentTimeMillis();
      Fixtures.insertSpring(
          pool,
          count,
          i ->
              new Fixtures.SpringRow(
                  ids[(int) i], VICTIM_USER, now, BenchData.springAttributes(VICTIM_USER, i, 0)));
      return ids;
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}

package app.getbodhi.session.jooq.internal;

import static app.getbodhi.session.jooq.internal.SessionTable.DATA;
import static app.getbodhi.session.jooq.internal.SessionTable.ID;
import static app.getbodhi.session.jooq.internal.SessionTable.MAX_INACTIVE_SECONDS;
import static app.getbodhi.session.jooq.internal.SessionTable.REVISION;
import static app.getbodhi.session.jooq.internal.SessionTable.SESSIONS;
import static app.getbodhi.session.jooq.internal.SessionTable.USER_ID;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;

import app.getbodhi.session.jooq.SqlBackendProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep8;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.conf.ParamType;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Every statement a store sends, written once with jOOQ's DSL and rendered once, in the backend's
 * dialect, when the store is built; a call then costs only the statement it sends. What differs
 * between backends comes from the {@link SqlBackendProfile}. Parameters are bound by {@link
 * RowBinding} in the order each statement's comment gives.
 */
public final class Statements {

  /** Insert one row if its key is free: {@link RowBinding#bindRow} order. */
  public final String insertIfAbsent;

  /** Insert one row or replace every column but the creation time: {@link RowBinding#bindRow}. */
  public final String upsert;

  /** SET as {@link RowBinding#bindUpdate}, then the keys, the revision and now. */
  public final String updateIfUnchanged;

  /** The keys, the revision and now. */
  public final String deleteIfUnchanged;

  /** The keys and now; see {@link RowBinding#readRows} for the columns. */
  public final String load;

  /** As {@link #load}, locking the row when the profile's row lock does so. */
  public final String loadLocked;

  /** The keys. */
  public final String delete;

  /** One ref. */
  public final String deleteRef;

  /**
   * While a previous secret is configured: the previous key, then the current key. Deletes the row
   * under the previous key when one under the current key exists too: that one is the session
   * (loads choose it), the other a stale copy. Without a previous secret, {@code null}.
   */
  public final String deleteStale;

  /** The prefix's length, the prefix, the limit. */
  public final String refsByPrefix;

  /** The user. */
  public final String clearUser;

  /** Nothing. */
  public final String clearAll;

  /** The user, now. */
  public final String countUser;

  /** The user, now; summary columns ({@link RowBinding#readSummaries}). */
  public final String sessionsForUser;

  /** The ref to start after, the limit; summary columns. */
  public final String dumpPage;

  /** The ref to start after, now, the limit; {@link RowBinding#readSealed} columns. */
  public final String loadSealedPage;

  /** Now. */
  public final String deleteExpiredBatch;

  /**
   * Renders the statements.
   *
   * @param profile the backend
   * @param twoKeys whether a previous secret is configured: then every statement by id matches two
   *     row keys, and every update moves the row to the current one
   * @param deleteBatchSize the most rows one statement of {@code deleteExpired} deletes
   */
  public Statements(SqlBackendProfile profile, boolean twoKeys, int deleteBatchSize) {
    DSLContext dsl = DSL.using(profile.dialect(), renderSettings());
    SessionTable.Instants instants = SessionTable.Instants.of(profile.expiry());
    Field<Object> expiryDate = instants.expiryDate();
    Field<Object> now = param("now", instants.type().dataType());

    this.insertIfAbsent =
        dsl.render(profile.insertIfAbsent().complete(insertRow(dsl, instants), ID));
    Map<Field<?>, Field<?>> replaceAll = new LinkedHashMap<>();
    for (Field<?> column :
        List.of(
            DATA,
            expiryDate,
            USER_ID,
            instants.createdAt(),
            instants.lastAccessedAt(),
            MAX_INACTIVE_SECONDS)) {
      replaceAll.put(column, excluded(column));
    }
    // a concurrent handle holding the old revision must see the overwrite as a change; qualified,
    // because in PostgreSQL's ON CONFLICT a bare column is ambiguous with EXCLUDED's
    replaceAll.put(
        REVISION,
        field(name(SESSIONS.getName(), REVISION.getName()), SQLDataType.BIGINT).plus(inline(1L)));
    this.upsert = dsl.render(insertRow(dsl, instants).onConflict(ID).doUpdate().set(replaceAll));
    Condition keyMatch =
        twoKeys
            ? ID.in(param("key", ID.getDataType()), param("previousKey", ID.getDataType()))
            : ID.eq(param("key", ID.getDataType()));
    Field<Long> revision = param("revision", REVISION.getDataType());
    this.updateIfUnchanged =
        render(
            dsl,
            dsl.update(SESSIONS)
                .set(orderedAssignments(instants, twoKeys))
                .where(keyMatch)
                .and(REVISION.eq(revision))
                .and(expiryDate.gt(now)));
    this.deleteIfUnchanged =
        render(
            dsl,
            dsl.deleteFrom(SESSIONS)
                .where(keyMatch)
                .and(REVISION.eq(revision))
                .and(expiryDate.gt(now)));
    // the columns a load by id reads (RowBinding.readRows); a sealed page reads the user after them
    List<Field<?>> stored =
        List.of(
            ID,
            DATA,
            expiryDate,
            instants.createdAt(),
            instants.lastAccessedAt(),
            MAX_INACTIVE_SECONDS,
            REVISION);
    var load = dsl.select(stored).from(SESSIONS).where(keyMatch).and(expiryDate.gt(now));
    this.load = render(dsl, load);
    this.loadLocked =
        profile.rowLock().selectForUpdate() ? render(dsl, load.forUpdate()) : this.load;
    this.delete = render(dsl, dsl.deleteFrom(SESSIONS).where(keyMatch));
    this.deleteRef =
        render(dsl, dsl.deleteFrom(SESSIONS).where(ID.eq(param("ref", ID.getDataType()))));
    Table<Record> current = SESSIONS.as("current_row");
    this.deleteStale =
        twoKeys
            ? render(
                dsl,
                dsl.deleteFrom(SESSIONS)
                    .where(ID.eq(param("previousKey", ID.getDataType())))
                    .andExists(
                        dsl.selectOne()
                            .from(current)
                            .where(
                                field(name(current.getName(), ID.getName()), ID.getDataType())
                                    .eq(param("key", ID.getDataType())))))
            : null;
    this.refsByPrefix =
        render(
            dsl,
            dsl.select(ID)
                .from(SESSIONS)
                .where(
                    DSL.substring(ID, inline(1), param("prefixLength", SQLDataType.INTEGER))
                        .eq(param("prefix", ID.getDataType())))
                .orderBy(ID)
                .limit(param("limit", SQLDataType.INTEGER)));
    Condition ofUser = USER_ID.eq(param("user", USER_ID.getDataType()));
    this.clearUser = render(dsl, dsl.deleteFrom(SESSIONS).where(ofUser));
    this.clearAll = render(dsl, dsl.deleteFrom(SESSIONS));
    this.countUser =
        render(dsl, dsl.selectCount().from(SESSIONS).where(ofUser).and(expiryDate.gt(now)));
    List<Field<?>> summary =
        List.of(ID, USER_ID, expiryDate, instants.createdAt(), instants.lastAccessedAt());
    this.sessionsForUser =
        render(
            dsl,
            dsl.select(summary).from(SESSIONS).where(ofUser).and(expiryDate.gt(now)).orderBy(ID));
    Field<String> after = param("after", ID.getDataType());
    Field<Integer> limit = param("limit", SQLDataType.INTEGER);
    this.dumpPage =
        render(
            dsl, dsl.select(summary).from(SESSIONS).where(ID.gt(after)).orderBy(ID).limit(limit));
    this.loadSealedPage =
        render(
            dsl,
            dsl.select(stored)
                .select(USER_ID)
                .from(SESSIONS)
                .where(ID.gt(after))
                .and(expiryDate.gt(now))
                .orderBy(ID)
                .limit(limit));
    // Deleting in bounded batches keeps every transaction small, so a large purge never holds the
    // write lock or many row locks for long. A rowid, where there is one, finds a row directly
    // rather than through the primary-key index: one index search fewer per deleted row.
    Field<Object> batchKey = field(name(profile.rowid().orElse(ID.getName())), SQLDataType.OTHER);
    this.deleteExpiredBatch =
        render(
            dsl,
            profile
                .expiredDelete()
                .batch(dsl, SESSIONS, batchKey, expiryDate.le(now), deleteBatchSize));
  }

  /**
   * Returns the statements keyed by the operation that sends them, for tests and diagnostics.
   *
   * @return operation name to SQL text with {@code ?} placeholders
   */
  public Map<String, String> byOperation() {
    return Map.ofEntries(
        Map.entry("create", insertIfAbsent),
        Map.entry("save", upsert),
        Map.entry("updateIfUnchanged", updateIfUnchanged),
        Map.entry("rotate", deleteIfUnchanged),
        Map.entry("load", load),
        Map.entry("modify", loadLocked),
        Map.entry("delete", delete),
        Map.entry("deleteRef", deleteRef),
        Map.entry("findRefsByPrefix", refsByPrefix),
        Map.entry("clearSessionsForUser", clearUser),
        Map.entry("clearAllSessions", clearAll),
        Map.entry("countSessionsForUser", countUser),
        Map.entry("getSessionsForUser", sessionsForUser),
        Map.entry("dumpPage", dumpPage),
        Map.entry("loadSealedPage", loadSealedPage),
        Map.entry("deleteExpired", deleteExpiredBatch));
  }

  /** How every statement is rendered: plain names, indexed parameters, on one line. */
  public static Settings renderSettings() {
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
   * An insert of one row, in {@link RowBinding#bindRow}'s order: id, data, expiry, user, created,
   * last accessed, timeout, revision.
   */
  private static InsertValuesStep8<
          Record, String, byte[], Object, String, Object, Object, Integer, Long>
      insertRow(DSLContext dsl, SessionTable.Instants instants) {
    var type = instants.type().dataType();
    return dsl.insertInto(
            SESSIONS,
            ID,
            DATA,
            instants.expiryDate(),
            USER_ID,
            instants.createdAt(),
            instants.lastAccessedAt(),
            MAX_INACTIVE_SECONDS,
            REVISION)
        .values(
            param("id", ID.getDataType()),
            param("data", DATA.getDataType()),
            param("expiry", type),
            param("user", USER_ID.getDataType()),
            param("created", type),
            param("accessed", type),
            param("timeout", MAX_INACTIVE_SECONDS.getDataType()),
            param("revision", REVISION.getDataType()));
  }

  /**
   * The SET clause of the updates, in {@link RowBinding#bindUpdate}'s order: the row key (only
   * while a previous secret is configured, to move the row to the current one), data, expiry, user,
   * last accessed, timeout; then the revision grows by one. The creation time never changes. A map,
   * because set(Field&lt;Object&gt;, Field&lt;Object&gt;) is ambiguous in jOOQ's API; a linked one,
   * because the bind order must not depend on hashing.
   */
  private static Map<Field<?>, Field<?>> orderedAssignments(
      SessionTable.Instants instants, boolean moveKey) {
    var type = instants.type().dataType();
    Map<Field<?>, Field<?>> assignments = new LinkedHashMap<>();
    if (moveKey) {
      // SQLite rewrites every index of a column named in SET, whatever the value: hence only here
      assignments.put(ID, param("key", ID.getDataType()));
    }
    assignments.put(DATA, param("data", DATA.getDataType()));
    assignments.put(instants.expiryDate(), param("expiry", type));
    assignments.put(USER_ID, param("user", USER_ID.getDataType()));
    assignments.put(instants.lastAccessedAt(), param("accessed", type));
    assignments.put(MAX_INACTIVE_SECONDS, param("timeout", MAX_INACTIVE_SECONDS.getDataType()));
    assignments.put(REVISION, REVISION.plus(inline(1L)));
    return assignments;
  }
}

package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migration 5 of both backends: seals every session stored before sealing existed, in place. A
 * legacy row is recognised by its key, a session id (22 characters) rather than a row key (43); its
 * key becomes the id's row key and its JSON is sealed, in one {@code UPDATE}.
 *
 * <p>Rows are read by keyset paging (on SQLite by {@code rowid}, the order the table is stored in,
 * which a rewritten key does not change; elsewhere by key) and each page is sealed and committed in
 * its own transaction, so memory holds one page however large the table, and a run that is
 * interrupted (killed, or failed on a database error) leaves every committed page sealed: the next
 * run skips those rows and seals the rest. Hence it does not run in Flyway's transaction.
 *
 * <p>One instance serves one {@code migrate()} call: it counts the rows it sealed.
 */
public final class SealingMigration implements JavaMigration {

  /** The schema version this migration brings a backend to. */
  public static final String VERSION = "5";

  /**
   * Rows per page and transaction. Each commit writes every index page the page touched, and the
   * keys being rewritten are random, so larger pages amortise those writes: 10 000 rows seal 2.3
   * times faster than 1 000 on SQLite (200 000 rows: 11 s against 25 s).
   */
  public static final int DEFAULT_PAGE_SIZE = 10_000;

  /**
   * The most data one page holds in memory, in bytes: a page ends early when its rows' data reaches
   * it, so large sessions cannot make a page outgrow a small heap (10 000 rows of 1 MiB would).
   */
  public static final int MAX_PAGE_BYTES = 16 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(SealingMigration.class);

  private final Sealing sealing;
  private final SessionJson json;
  private final int pageSize;
  private final Optional<String> rowid;
  private final AtomicLong sealed = new AtomicLong();

  /**
   * Creates the migration.
   *
   * @param sealing the keys to seal with: the store's current secret
   * @param json the store's JSON reader, to read the user of a legacy row
   * @param pageSize rows per page and transaction; positive
   * @param rowid the column to page by when the database has one that orders rows as the table
   *     stores them (SQLite's {@code rowid}), so each page reads and rewrites neighbouring table
   *     pages; otherwise rows are paged by key
   */
  public SealingMigration(Sealing sealing, SessionJson json, int pageSize, Optional<String> rowid) {
    this.rowid = Objects.requireNonNull(rowid, "rowid");
    this.sealing = Objects.requireNonNull(sealing, "sealing");
    this.json = Objects.requireNonNull(json, "json");
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive, but is " + pageSize);
    }
    this.pageSize = pageSize;
  }

  /**
   * Returns how many rows this instance sealed.
   *
   * @return the count; rows sealed by an earlier, interrupted run are not counted
   */
  public long sealedRows() {
    return sealed.get();
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(VERSION);
  }

  @Override
  public String getDescription() {
    return "seal sessions";
  }

  @Override
  public Integer getChecksum() {
    // nothing to compare: the work depends on the rows, not on a script
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return false;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    boolean byRowid = rowid.isPresent();
    String cursor = rowid.orElse("id");
    try (PreparedStatement page =
            connection.prepareStatement(
                "SELECT id, data, "
                    + cursor
                    + " FROM bodhi_sessions WHERE "
                    + cursor
                    + " > ? ORDER BY "
                    + cursor
                    + " LIMIT ?");
        PreparedStatement seal =
            connection.prepareStatement(
                "UPDATE bodhi_sessions SET id = ?, data = ?, user_id = COALESCE(?, user_id)"
                    + " WHERE id = ?")) {
      Object after = byRowid ? (Object) Long.MIN_VALUE : "";
      while (true) {
        page.setObject(1, after);
        page.setInt(2, pageSize);
        List<Legacy> legacy = new ArrayList<>();
        int read = 0;
        long bytes = 0;
        boolean full = false;
        try (ResultSet rows = page.executeQuery()) {
          while (!full && rows.next()) {
            read++;
            after = byRowid ? rows.getLong(3) : rows.getString(1);
            // a row key (43 characters) is sealed already; anything else is not ours to touch
            Optional<SessionId> id = SessionId.parse(rows.getString(1));
            if (id.isPresent()) {
              byte[] data = rows.getBytes(2);
              legacy.add(new Legacy(id.get(), data));
              bytes += data.length;
              full = bytes >= MAX_PAGE_BYTES;
            }
          }
        }
        for (Legacy row : legacy) {
          Sealing.Keys keys = sealing.keys(row.id());
          seal.setString(1, keys.current());
          seal.setBytes(2, sealing.seal(keys, row.data()));
          RowBinding.bindUser(seal, 3, userIdOf(row.data()));
          seal.setString(4, row.id().value());
          seal.addBatch();
        }
        if (!legacy.isEmpty()) {
          seal.executeBatch();
        }
        connection.commit();
        if (!legacy.isEmpty()) {
          long total = sealed.addAndGet(legacy.size());
          LOG.info("Sealed {} stored sessions so far", total);
        }
        if (read < pageSize && !full) {
          return;
        }
      }
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Reads {@code data["user_id"]} from a legacy row, the last moment it can be read: the user
   * column mirrors it, but a table made before that column existed holds NULL there until a save.
   *
   * @return the user id, or {@code null} when absent, not a string, or the data is not JSON
   */
  private String userIdOf(byte[] data) {
    try {
      return json.read(data).get(SessionRecord.USER_ID_KEY) instanceof String user
              && SessionRecord.isStorableUserId(user)
          ? user
          : null;
    } catch (RuntimeException e) {
      // unreadable data is sealed as it is; it will not load either way
      return null;
    }
  }

  /** A row still under its session id, with its plain JSON. */
  private record Legacy(SessionId id, byte[] data) {}
}

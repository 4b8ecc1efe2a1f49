package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
 * <p>Rows are read by keyset paging on the key and each page is sealed and committed in its own
 * transaction, so memory holds one page however large the table, and a run that is interrupted
 * (killed, or failed on a database error) leaves every committed page sealed: the next run skips
 * those rows and seals the rest. Hence it does not run in Flyway's transaction.
 *
 * <p>One instance serves one {@code migrate()} call: it counts the rows it sealed.
 */
public final class SealingMigration implements JavaMigration {

  /** The schema version this migration brings a backend to. */
  public static final String VERSION = "5";

  /** Rows per page and transaction: small enough to keep memory and lock time low. */
  public static final int DEFAULT_PAGE_SIZE = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(SealingMigration.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sealing sealing;
  private final int pageSize;
  private final AtomicLong sealed = new AtomicLong();

  /**
   * Creates the migration.
   *
   * @param sealing the keys to seal with: the store's current secret
   * @param pageSize rows per page and transaction; positive
   */
  public SealingMigration(Sealing sealing, int pageSize) {
    this.sealing = Objects.requireNonNull(sealing, "sealing");
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
    try (PreparedStatement page =
            connection.prepareStatement(
                "SELECT id, data FROM bodhi_sessions WHERE id > ? ORDER BY id LIMIT ?");
        PreparedStatement seal =
            connection.prepareStatement(
                "UPDATE bodhi_sessions SET id = ?, data = ?, user_id = COALESCE(?, user_id)"
                    + " WHERE id = ?")) {
      String after = "";
      while (true) {
        page.setString(1, after);
        page.setInt(2, pageSize);
        List<Legacy> legacy = new ArrayList<>();
        int read = 0;
        try (ResultSet rows = page.executeQuery()) {
          while (rows.next()) {
            read++;
            after = rows.getString(1);
            // a row key (43 characters) is sealed already; anything else is not ours to touch
            Optional<SessionId> id = SessionId.parse(after);
            if (id.isPresent()) {
              legacy.add(new Legacy(id.get(), rows.getBytes(2)));
            }
          }
        }
        for (Legacy row : legacy) {
          Sealing.Keys keys = sealing.keys(row.id());
          seal.setString(1, keys.current());
          seal.setBytes(2, sealing.seal(keys, row.data()));
          JooqSessionStore.bindUser(seal, 3, userIdOf(row.data()));
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
        if (read < pageSize) {
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
  private static String userIdOf(byte[] json) {
    try {
      JsonNode user = JSON.readTree(json).get(SessionRecord.USER_ID_KEY);
      return user != null && user.isTextual() && SessionRecord.isStorableUserId(user.asText())
          ? user.asText()
          : null;
    } catch (IOException | RuntimeException e) {
      // unreadable data is sealed as it is; it will not load either way
      return null;
    }
  }

  /** A row still under its session id, with its plain JSON. */
  private record Legacy(SessionId id, byte[] data) {}
}

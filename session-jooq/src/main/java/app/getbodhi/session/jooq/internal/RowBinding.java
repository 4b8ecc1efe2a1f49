package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.jooq.ExpiryColumn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds a session's columns to the {@link Statements} and reads them back, straight through JDBC so
 * that the hot path converts nothing twice. The instant columns go through the backend's {@link
 * ExpiryColumn}.
 *
 * @param instants how the backend stores instants
 * @param twoKeys whether a previous secret is configured, so that statements by id take two keys
 */
public record RowBinding(ExpiryColumn instants, boolean twoKeys) {

  /**
   * A session's row key and sealed data, ready to write.
   *
   * @param rowKey the ref's text
   * @param data the sealed data
   */
  public record Sealed(String rowKey, byte[] data) {}

  /**
   * A stored row as read by id, before its data is opened.
   *
   * @param rowKey the row key it was found under
   * @param data the sealed data
   * @param expiry when it expires
   * @param createdAt when it was created
   * @param lastAccessedAt when a request last wrote it
   * @param timeout its own timeout, if any
   * @param revision its revision
   */
  public record Row(
      String rowKey,
      byte[] data,
      Instant expiry,
      Instant createdAt,
      Instant lastAccessedAt,
      Optional<Duration> timeout,
      long revision) {}

  /**
   * Binds a row as {@link Statements#insertIfAbsent} and {@link Statements#upsert} order it: row
   * key and sealed data, expiry, user, times, timeout, revision. The record must be {@linkplain
   * SessionRecord#stampedAt stamped}.
   *
   * @param statement the statement
   * @param sealed the row key and data
   * @param record the session
   * @throws SQLException on a driver error
   */
  public void bindRow(PreparedStatement statement, Sealed sealed, SessionRecord record)
      throws SQLException {
    bindColumns(
        statement,
        sealed.rowKey(),
        sealed.data(),
        record.expiryDate(),
        record.userId().orElse(null),
        record.createdAt().orElseThrow(),
        record.lastAccessedAt().orElseThrow(),
        record.maxInactiveInterval(),
        record.revision());
  }

  /**
   * Binds a sealed session as {@link #bindRow} does, verbatim.
   *
   * @param statement the statement
   * @param session the session as copied from another store
   * @throws SQLException on a driver error
   */
  public void bindSealed(PreparedStatement statement, SealedSession session) throws SQLException {
    bindColumns(
        statement,
        session.ref().value(),
        session.sealedData(),
        session.expiryDate(),
        session.userId().orElse(null),
        session.createdAt(),
        session.lastAccessedAt(),
        session.maxInactiveInterval(),
        session.revision());
  }

  private void bindColumns(
      PreparedStatement statement,
      String rowKey,
      byte[] data,
      Instant expiry,
      String user,
      Instant createdAt,
      Instant lastAccessedAt,
      Optional<Duration> timeout,
      long revision)
      throws SQLException {
    statement.setString(1, rowKey);
    statement.setBytes(2, data);
    instants.bind(statement, 3, expiry);
    bindUser(statement, 4, user);
    instants.bind(statement, 5, createdAt);
    instants.bind(statement, 6, lastAccessedAt);
    bindTimeout(statement, 7, timeout);
    statement.setLong(8, revision);
  }

  /**
   * Binds the SET clause of {@link Statements#updateIfUnchanged}: the current row key (only with
   * two keys), data, expiry, user, last accessed (the record's, else now), timeout.
   *
   * @param statement the statement
   * @param currentKey the row key to move the row to
   * @param record the session
   * @param data its sealed data
   * @param now the store's clock
   * @return the index of the first parameter after it
   * @throws SQLException on a driver error
   */
  public int bindUpdate(
      PreparedStatement statement,
      String currentKey,
      SessionRecord record,
      byte[] data,
      Instant now)
      throws SQLException {
    int index = 1;
    if (twoKeys) {
      statement.setString(index++, currentKey);
    }
    statement.setBytes(index, data);
    instants.bind(statement, index + 1, record.expiryDate());
    bindUser(statement, index + 2, record.userId().orElse(null));
    instants.bind(statement, index + 3, record.lastAccessedAt().orElse(now));
    bindTimeout(statement, index + 4, record.maxInactiveInterval());
    return index + 5;
  }

  /**
   * Binds an id's row keys where a statement matches them: the current one, then the previous one
   * while a previous secret is configured.
   *
   * @param statement the statement
   * @param index where the keys go
   * @param keys the id's keys
   * @return the index of the first parameter after them
   * @throws SQLException on a driver error
   */
  public int bindKeys(PreparedStatement statement, int index, Sealing.Keys keys)
      throws SQLException {
    statement.setString(index, keys.current());
    if (twoKeys) {
      statement.setString(index + 1, keys.previous().orElseThrow());
      return index + 2;
    }
    return index + 1;
  }

  /**
   * Reads the rows of a lookup by id, at most two ({@link Statements#load}).
   *
   * @param rows the result
   * @return the rows
   * @throws SQLException on a driver error
   */
  public List<Row> readRows(ResultSet rows) throws SQLException {
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
        instants.read(rows, 3),
        instants.read(rows, 4),
        instants.read(rows, 5),
        readTimeout(rows, 6),
        rows.getLong(7));
  }

  /**
   * Reads summary rows (row key, user, expiry, created, last accessed); a row that is not one of
   * ours (a legacy id) is skipped.
   *
   * @param rows the result
   * @return the summaries
   * @throws SQLException on a driver error
   */
  public List<SessionSummary> readSummaries(ResultSet rows) throws SQLException {
    return readOurs(
        rows,
        ref ->
            new SessionSummary(
                ref,
                Optional.ofNullable(rows.getString(2)),
                instants.read(rows, 3),
                Optional.of(instants.read(rows, 4)),
                Optional.of(instants.read(rows, 5))));
  }

  /**
   * Reads {@link Statements#loadSealedPage} rows: a {@link Row}'s columns, then the user; a row not
   * yet sealed (the migration has not run) is skipped.
   *
   * @param result the result
   * @return the sealed sessions
   * @throws SQLException on a driver error
   */
  public List<SealedSession> readSealed(ResultSet result) throws SQLException {
    return readOurs(
        result,
        ref -> {
          Row row = readRow(result);
          return new SealedSession(
              ref,
              row.data(),
              Optional.ofNullable(result.getString(8)),
              row.expiry(),
              row.createdAt(),
              row.lastAccessedAt(),
              row.timeout(),
              row.revision());
        });
  }

  /**
   * Reads a column of row keys; a row that is not one of ours is skipped.
   *
   * @param rows the result
   * @return the refs
   * @throws SQLException on a driver error
   */
  public static List<SessionRef> readRefs(ResultSet rows) throws SQLException {
    return List.copyOf(readOurs(rows, ref -> ref));
  }

  /** Reads one value of a row whose first column is a ref of ours. */
  private interface OurRow<T> {
    T read(SessionRef ref) throws SQLException;
  }

  /**
   * Reads every row whose first column parses as a ref, skipping the others (legacy ids, rows the
   * sealing migration has not reached).
   */
  private static <T> List<T> readOurs(ResultSet rows, OurRow<T> read) throws SQLException {
    List<T> found = new ArrayList<>();
    while (rows.next()) {
      Optional<SessionRef> ref = SessionRef.parse(rows.getString(1));
      if (ref.isPresent()) {
        found.add(read.read(ref.get()));
      }
    }
    return found;
  }

  private static Optional<Duration> readTimeout(ResultSet rows, int index) throws SQLException {
    int seconds = rows.getInt(index);
    return rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
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
   * Public for the sealing migration and for {@code StoreProbe}, through which the benchmarks bind
   * it the same way.
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
}

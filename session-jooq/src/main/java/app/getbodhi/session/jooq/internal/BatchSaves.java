package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.jooq.SqlBackendProfile;
import app.getbodhi.session.jooq.internal.RowBinding.Sealed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The store's batched writes ({@code saveAll}, {@code saveAllSealed}): one transaction and one
 * batched statement for all the rows, retried from the start on an error the profile calls
 * retryable.
 *
 * @param jdbc the store's JDBC work
 * @param sql the store's statements
 * @param rows how rows are bound
 * @param codec how sessions are sealed
 * @param stale whether a previous-key row must go first
 * @param retryable the errors a retry of the whole transaction resolves
 */
public record BatchSaves(
    Jdbc jdbc,
    Statements sql,
    RowBinding rows,
    SessionCodec codec,
    StaleRows stale,
    SqlBackendProfile.RetryableErrors retryable) {

  /**
   * Seals and upserts the records, each under its current key, deleting its previous-key row first
   * while a previous secret is configured.
   *
   * @param records the sessions; of two with one id only the later is written
   * @param now the time the rows are stamped with
   */
  public void saveAll(List<SessionRecord> records, Instant now) {
    Objects.requireNonNull(records, "records");
    ManagedSessionStore.checkSaveAllSize(records);
    // of two records with one id only the later is written: a batch may not touch a row twice
    // (PostgreSQL refuses that when the driver rewrites the batch into one multi-row insert)
    Map<SessionId, SessionRecord> latest = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      SessionRecord record = Objects.requireNonNull(records.get(i), "records[" + i + "]");
      latest.put(record.id(), record);
    }
    List<SessionRecord> unique = latest.values().stream().map(r -> r.stampedAt(now)).toList();
    List<Sealing.Keys> keys = new ArrayList<>(unique.size());
    List<Sealed> sealed = new ArrayList<>(unique.size());
    for (SessionRecord record : unique) {
      Sealing.Keys recordKeys = codec.sealing().keys(record.id());
      keys.add(recordKeys);
      sealed.add(new Sealed(recordKeys.current(), codec.seal(recordKeys, record)));
    }
    upsertBatch(
        unique.size(),
        stale.twoKeys()
            ? Optional.of(
                (statement, i) -> statement.setString(1, keys.get(i).previous().orElseThrow()))
            : Optional.empty(),
        (statement, i) -> rows.bindRow(statement, sealed.get(i), unique.get(i)));
  }

  /**
   * Upserts sealed rows verbatim, under the keys they carry.
   *
   * @param sessions the rows; of two with one ref only the later is written
   */
  public void saveAllSealed(List<SealedSession> sessions) {
    Objects.requireNonNull(sessions, "sessions");
    ManagedSessionStore.checkSaveAllSize(sessions);
    Map<SessionRef, SealedSession> latest = new LinkedHashMap<>();
    for (int i = 0; i < sessions.size(); i++) {
      SealedSession session = Objects.requireNonNull(sessions.get(i), "sessions[" + i + "]");
      codec.checkSize(session);
      latest.put(session.ref(), session);
    }
    List<SealedSession> unique = List.copyOf(latest.values());
    // verbatim: moving a row to the current key needs the id, which only the browser holds, so a
    // row copied under the previous key moves on its next write
    upsertBatch(
        unique.size(),
        Optional.empty(),
        (statement, i) -> rows.bindSealed(statement, unique.get(i)));
  }

  /** Binds the i-th row of a batch. */
  @FunctionalInterface
  private interface RowBinder {
    void bind(PreparedStatement statement, int index) throws SQLException;
  }

  /**
   * Runs the upsert for {@code count} rows as one batch in one transaction, after a batch that
   * deletes each row's previous-key row when {@code previousKeys} binds one.
   */
  private void upsertBatch(int count, Optional<RowBinder> previousKeys, RowBinder binder) {
    if (count == 0) {
      return;
    }
    jdbc.transaction(
        "save sessions",
        List.of(),
        retryable,
        SqlBackendProfile.BulkDelete.DEFAULT_MAX_ATTEMPTS,
        connection -> {
          if (previousKeys.isPresent()) {
            runBatch(connection, sql.deleteRef, count, previousKeys.get());
          }
          runBatch(connection, sql.upsert, count, binder);
          return null;
        });
  }

  private static void runBatch(
      Connection connection, String statementSql, int count, RowBinder binder) throws SQLException {
    // a statement of its own, not a cached one: a batch left half-built by a failure must not be
    // sent by the next call on this connection
    try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
      for (int i = 0; i < count; i++) {
        binder.bind(statement, i);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }
}

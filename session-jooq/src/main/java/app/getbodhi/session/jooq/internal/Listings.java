package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.SealedSession;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.SessionSummary;
import app.getbodhi.session.jooq.ExpiryColumn;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A store's read-only listings for operators and "your devices" pages: by user, by ref prefix, and
 * page by page over the whole table. None of them opens a session's data.
 */
public final class Listings {

  private final Jdbc jdbc;
  private final Statements sql;
  private final RowBinding rows;
  private final ExpiryColumn instants;
  private final Clock clock;

  /**
   * For one store.
   *
   * @param jdbc its connections
   * @param sql its statements
   * @param rows how its rows are read
   * @param instants how its instants are stored
   * @param clock its clock, which says which sessions are live
   */
  public Listings(Jdbc jdbc, Statements sql, RowBinding rows, ExpiryColumn instants, Clock clock) {
    this.jdbc = jdbc;
    this.sql = sql;
    this.rows = rows;
    this.instants = instants;
    this.clock = clock;
  }

  /**
   * See {@link app.getbodhi.session.ManagedSessionStore#findRefsByPrefix}.
   *
   * @param prefix the first characters of a ref
   * @param limit the most refs to return
   * @return the refs, ordered
   */
  public List<SessionRef> findRefsByPrefix(String prefix, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    requirePositive(limit);
    if (prefix.isEmpty()
        || prefix.length() > SessionRef.LENGTH
        || !SessionRef.wellFormed(prefix + "A".repeat(SessionRef.LENGTH - prefix.length()))) {
      return List.of();
    }
    return jdbc.query(
        "find sessions by ref",
        sql.refsByPrefix,
        statement -> {
          statement.setInt(1, prefix.length());
          statement.setString(2, prefix);
          statement.setInt(3, limit);
        },
        RowBinding::readRefs);
  }

  /**
   * No stored session has a user id with NUL (SessionRecord refuses it), and PostgreSQL cannot even
   * compare one, so such a query is answered without the database.
   */
  private static boolean unstorable(String userId) {
    return !SessionRecord.isStorableUserId(userId);
  }

  /**
   * See {@link app.getbodhi.session.ManagedSessionStore#countSessionsForUser}.
   *
   * @param userId the user
   * @return the number of live sessions
   */
  public int countSessionsForUser(String userId) {
    return queryLiveOfUser(
        "count a user's sessions",
        sql.countUser,
        userId,
        0,
        result -> {
          result.next();
          return result.getInt(1);
        });
  }

  /**
   * See {@link app.getbodhi.session.ManagedSessionStore#getSessionsForUser}.
   *
   * @param userId the user
   * @return the live sessions, ordered by ref
   */
  public List<SessionSummary> getSessionsForUser(String userId) {
    return queryLiveOfUser(
        "list a user's sessions",
        sql.sessionsForUser,
        userId,
        List.of(),
        result -> List.copyOf(rows.readSummaries(result)));
  }

  /**
   * Runs a query over a user's live sessions: its parameters are the user id, then now. A user id
   * no row can hold gets {@code none} without a query.
   */
  private <T> T queryLiveOfUser(
      String what, String statementSql, String userId, T none, Jdbc.RowsReader<T> reader) {
    Objects.requireNonNull(userId, "userId");
    if (unstorable(userId)) {
      return none;
    }
    Instant now = clock.instant();
    return jdbc.query(
        what,
        statementSql,
        statement -> {
          statement.setString(1, userId);
          instants.bind(statement, 2, now);
        },
        reader);
  }

  /**
   * See {@link app.getbodhi.session.ManagedSessionStore#dumpPage}.
   *
   * @param after the ref to start after
   * @param limit the page size
   * @return the page
   */
  public List<SessionSummary> dumpPage(Optional<SessionRef> after, int limit) {
    requirePositive(limit);
    return jdbc.query(
        "list sessions",
        sql.dumpPage,
        statement -> {
          statement.setString(1, after.map(SessionRef::value).orElse(""));
          statement.setInt(2, limit);
        },
        rows::readSummaries);
  }

  /**
   * See {@link app.getbodhi.session.ManagedSessionStore#loadSealedPage}.
   *
   * @param after the ref to start after
   * @param limit the page size
   * @return the page
   */
  public List<SealedSession> loadSealedPage(Optional<SessionRef> after, int limit) {
    requirePositive(limit);
    Instant now = clock.instant();
    return jdbc.query(
        "read sessions",
        sql.loadSealedPage,
        statement -> {
          statement.setString(1, after.map(SessionRef::value).orElse(""));
          instants.bind(statement, 2, now);
          statement.setInt(3, limit);
        },
        rows::readSealed);
  }

  private static void requirePositive(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, but is " + limit);
    }
  }
}

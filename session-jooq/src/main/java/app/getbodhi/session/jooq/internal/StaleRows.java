package app.getbodhi.session.jooq.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Keeps a session to one row while a previous secret is configured. A session may then be stored
 * under either of its two row keys; a write by id first deletes the row under the previous key
 * ({@link #beforeOverwrite} for a write that replaces the session whatever is stored, {@link
 * #beforeChange} for one that changes the row it finds), then writes under the current key. With
 * one secret both do nothing and cost nothing.
 *
 * @param jdbc the store's JDBC work
 * @param sql the store's statements
 * @param twoKeys whether a previous secret is configured
 */
public record StaleRows(Jdbc jdbc, Statements sql, boolean twoKeys) {

  /**
   * Before an overwrite ({@code save}): deletes the row under the previous key, if any, since the
   * write that follows replaces the session under the current key.
   *
   * @param connection the write's transaction
   * @param keys the id's keys
   * @throws SQLException on a database error
   */
  public void beforeOverwrite(Connection connection, Sealing.Keys keys) throws SQLException {
    if (twoKeys) {
      jdbc.update(
          connection,
          sql.deleteRef,
          statement -> statement.setString(1, keys.previous().orElseThrow()));
    }
  }

  /**
   * Before a change of the row found ({@code updateIfUnchanged}, {@code modify}, {@code rotate}):
   * deletes the row under the previous key when one under the current key exists too. The current
   * key's row is the session (loads choose it); the other is a stale copy, put back by a copy or a
   * node that lacks the new secret. The change then finds at most one row, and moves it to the
   * current key.
   *
   * @param connection the write's transaction
   * @param keys the id's keys
   * @throws SQLException on a database error
   */
  public void beforeChange(Connection connection, Sealing.Keys keys) throws SQLException {
    if (twoKeys) {
      jdbc.update(
          connection,
          sql.deleteStale,
          statement -> {
            statement.setString(1, keys.previous().orElseThrow());
            statement.setString(2, keys.current());
          });
    }
  }
}

package app.getbodhi.session.jooq.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import app.getbodhi.session.jooq.ExpiryColumn;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The {@code bodhi_sessions} table as typed jOOQ names, the same on every backend except for the
 * instant columns, whose SQL type is the backend's ({@link #instants}).
 */
public final class SessionTable {

  /** The session table. */
  public static final Table<Record> SESSIONS = table(name("bodhi_sessions"));

  /**
   * The row key: the session's ref, a one-way hash of its id (never the id itself; see {@link
   * Sealing}). The column keeps its old name so that the sealing migration could rewrite rows in
   * place.
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

  private SessionTable() {}

  /**
   * The instant columns in a backend's type.
   *
   * @param expiryDate when the session expires
   * @param createdAt when it was created
   * @param lastAccessedAt when a request last wrote it
   * @param type how they are stored, for parameters of the same type
   */
  public record Instants(
      Field<Object> expiryDate,
      Field<Object> createdAt,
      Field<Object> lastAccessedAt,
      ExpiryColumn type) {

    /**
     * Names the instant columns in a backend's type.
     *
     * @param type how the backend stores instants
     * @return the columns
     */
    public static Instants of(ExpiryColumn type) {
      return new Instants(
          field(name("expiry_date"), type.dataType()),
          field(name("created_at"), type.dataType()),
          field(name("last_accessed_at"), type.dataType()),
          type);
    }
  }
}

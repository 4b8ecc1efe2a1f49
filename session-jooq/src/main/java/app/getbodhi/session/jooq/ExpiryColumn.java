package app.getbodhi.session.jooq;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;

/**
 * How a backend stores its instant columns ({@code expiry_date}, {@code created_at}, {@code
 * last_accessed_at}), the columns whose SQL type differs between backends. Binding goes straight to
 * JDBC so the hot path converts nothing twice. Public so that whatever reads or writes the column
 * beside a store (a benchmark's raw JDBC baseline) binds it exactly as the store does, with no copy
 * of the conversion.
 */
public enum ExpiryColumn {
  /** {@code INTEGER} milliseconds since the epoch, UTC: SQLite has no timestamp type. */
  EPOCH_MILLIS(SQLDataType.BIGINT) {
    @Override
    public void bind(PreparedStatement statement, int index, Instant instant) throws SQLException {
      statement.setLong(index, instant.toEpochMilli());
    }

    @Override
    public Instant read(ResultSet rows, int column) throws SQLException {
      return Instant.ofEpochMilli(rows.getLong(column));
    }
  },
  /** {@code TIMESTAMPTZ}: PostgreSQL's instant type, with microsecond precision. */
  TIMESTAMP_WITH_TIME_ZONE(SQLDataType.TIMESTAMPWITHTIMEZONE) {
    @Override
    public void bind(PreparedStatement statement, int index, Instant instant) throws SQLException {
      statement.setObject(index, instant.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    @Override
    public Instant read(ResultSet rows, int column) throws SQLException {
      return rows.getObject(column, OffsetDateTime.class).toInstant();
    }
  },
  /**
   * A timestamp without time zone that holds UTC, to the millisecond, such as {@code DATETIME(3)}:
   * for a database whose zoned type ends too early (MariaDB's and MySQL's {@code TIMESTAMP} ends in
   * 2038, before the never-expiring sentinel). Bound and read as a {@link LocalDateTime} in UTC, so
   * neither the JVM's nor the server's time zone enters; truncated to the millisecond, as {@link
   * #EPOCH_MILLIS} stores it, so that every backend returns the same instant.
   */
  UTC_DATETIME(SQLDataType.LOCALDATETIME(3)) {
    @Override
    public void bind(PreparedStatement statement, int index, Instant instant) throws SQLException {
      statement.setObject(
          index, LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
    }

    @Override
    public Instant read(ResultSet rows, int column) throws SQLException {
      return rows.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
  };

  private final DataType<?> dataType;

  ExpiryColumn(DataType<?> dataType) {
    this.dataType = dataType;
  }

  /**
   * Returns the column's jOOQ type, for statements that name the column or bind a parameter of its
   * type.
   *
   * @return the type
   */
  // the Java type differs per constant, but callers only pass it through to jOOQ and JDBC
  @SuppressWarnings("unchecked")
  public DataType<Object> dataType() {
    return (DataType<Object>) dataType;
  }

  /**
   * Binds an instant as this column stores it.
   *
   * @param statement the statement
   * @param index the parameter's index, from 1
   * @param instant the instant
   * @throws SQLException on a driver error
   */
  public abstract void bind(PreparedStatement statement, int index, Instant instant)
      throws SQLException;

  /**
   * Reads an instant as this column stores it.
   *
   * @param rows the result, on a row
   * @param column the column's index, from 1
   * @return the instant
   * @throws SQLException on a driver error
   */
  public abstract Instant read(ResultSet rows, int column) throws SQLException;
}

package app.getbodhi.session.jooq;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;

/**
 * How a backend stores the {@code expiry_date} column, the one column whose SQL type differs
 * between backends. Binding goes straight to JDBC so the hot path converts nothing twice. Public so
 * that whatever reads or writes the column beside a store (a benchmark's raw JDBC baseline) binds
 * it exactly as the store does, with no copy of the conversion.
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
  };

  private final DataType<?> dataType;

  ExpiryColumn(DataType<?> dataType) {
    this.dataType = dataType;
  }

  // the Java type differs per constant, but callers only pass it through to jOOQ and JDBC
  @SuppressWarnings("unchecked")
  DataType<Object> dataType() {
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

package app.getbodhi.session.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;

import app.getbodhi.session.jooq.internal.SessionTable;
import app.getbodhi.session.mariadb.internal.MariaDbSessionSettings;
import app.getbodhi.session.mariadb.internal.MariaDbUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.conf.ParamType;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

/**
 * What jOOQ 3.19 renders for {@link SQLDialect#MARIADB} from the DSL of {@link JooqSessionStore}'s
 * constructor, and what MariaDB and Connector/J then do with it: the facts the MariaDB backend
 * profile is built on. Rendered with the store's own render settings.
 */
class MariaDbDialectFactsTest extends OnTheModulesScripts {

  static final DataType<LocalDateTime> INSTANT = SQLDataType.LOCALDATETIME(3);
  static final Field<LocalDateTime> EXPIRY = field(name("expiry_date"), INSTANT);
  static final Field<LocalDateTime> CREATED = field(name("created_at"), INSTANT);
  static final Field<LocalDateTime> ACCESSED = field(name("last_accessed_at"), INSTANT);
  static final String COLUMNS =
      "(id, data, expiry_date, user_id, created_at, last_accessed_at, max_inactive_seconds,"
          + " revision) values (?, ?, ?, ?, ?, ?, ?, ?)";
  static final String TIME = "2030-01-01 00:00:00.123";

  static final DSLContext DSL_MARIADB =
      DSL.using(
          SQLDialect.MARIADB,
          new Settings()
              .withExecuteLogging(false)
              .withRenderSchema(false)
              .withRenderQuotedNames(RenderQuotedNames.NEVER)
              .withParamType(ParamType.INDEXED)
              .withRenderFormatted(false));

  static org.jooq.InsertValuesStep8<
          org.jooq.Record,
          String,
          byte[],
          LocalDateTime,
          String,
          LocalDateTime,
          LocalDateTime,
          Integer,
          Long>
      insertRow() {
    return DSL_MARIADB
        .insertInto(
            SessionTable.SESSIONS,
            SessionTable.ID,
            SessionTable.DATA,
            EXPIRY,
            SessionTable.USER_ID,
            CREATED,
            ACCESSED,
            SessionTable.MAX_INACTIVE_SECONDS,
            SessionTable.REVISION)
        .values(
            param("id", SQLDataType.VARCHAR),
            param("data", SQLDataType.BLOB),
            param("expiry", INSTANT),
            param("user", SQLDataType.VARCHAR),
            param("created", INSTANT),
            param("accessed", INSTANT),
            param("timeout", SQLDataType.INTEGER),
            param("revision", SQLDataType.BIGINT));
  }

  /** A connection as the store would open it: the URL's properties and the session settings. */
  static Connection connect(boolean affectedRows) throws SQLException {
    MariaDbUrl url = MariaDbUrl.parse(database.url());
    Properties properties = url.properties();
    properties.putAll(MariaDbSessionSettings.driverProperties());
    properties.setProperty("useAffectedRows", Boolean.toString(affectedRows));
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }

  static int insert(Connection connection, String sql, String id) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, id);
      statement.setBytes(2, new byte[] {1});
      statement.setString(3, TIME);
      statement.setString(4, "u");
      statement.setString(5, TIME);
      statement.setString(6, TIME);
      statement.setNull(7, java.sql.Types.INTEGER);
      statement.setLong(8, 0);
      return statement.executeUpdate();
    }
  }

  @Test
  void onConflictDoNothingIsInsertIgnoreWhichTruncatesEvenInStrictMode() throws SQLException {
    String sql = DSL_MARIADB.render(insertRow().onConflictDoNothing());
    assertThat(sql).isEqualTo("insert ignore into bodhi_sessions " + COLUMNS);
    try (Connection connection = connect(true)) {
      assertThat(insert(connection, sql, "k1")).isEqualTo(1);
      assertThat(insert(connection, sql, "k1")).isZero();
      // IGNORE downgrades every error to a warning, STRICT_ALL_TABLES's too: a 65-character id is
      // cut to 64 and inserted. Unusable for create.
      assertThat(insert(connection, sql, "x".repeat(65))).isEqualTo(1);
    }
    assertThat(database.queryStrings("SELECT id FROM bodhi_sessions WHERE id LIKE 'x%'"))
        .containsExactly("x".repeat(64));
  }

  @Test
  void onDuplicateKeyUpdateIdCountsZeroForATakenIdOnlyWithAffectedRows() throws SQLException {
    String sql =
        DSL_MARIADB.render(
            insertRow().onDuplicateKeyUpdate().set(SessionTable.ID, SessionTable.ID));
    assertThat(sql)
        .isEqualTo("insert into bodhi_sessions " + COLUMNS + " on duplicate key update id = id");
    try (Connection connection = connect(true)) {
      assertThat(insert(connection, sql, "k1")).isEqualTo(1);
      assertThat(insert(connection, sql, "k1")).isZero();
      assertThatThrownBy(() -> insert(connection, sql, "x".repeat(65)))
          .hasMessageContaining("Data too long for column 'id'");
    }
    try (Connection connection = connect(false)) {
      // the driver's default counts found rows: a taken id counts 1, like an insert
      assertThat(insert(connection, sql, "k2")).isEqualTo(1);
      assertThat(insert(connection, sql, "k2")).isEqualTo(1);
    }
  }

  @Test
  void theUpsertRendersAsOnDuplicateKeyUpdateWithValuesAndCountsOneOrTwo() throws SQLException {
    Map<Field<?>, Field<?>> replaceAll = new LinkedHashMap<>();
    for (Field<?> column :
        List.of(
            SessionTable.DATA,
            EXPIRY,
            SessionTable.USER_ID,
            CREATED,
            ACCESSED,
            SessionTable.MAX_INACTIVE_SECONDS)) {
      replaceAll.put(column, excluded(column));
    }
    replaceAll.put(
        SessionTable.REVISION,
        field(name("bodhi_sessions", "revision"), SQLDataType.BIGINT).plus(inline(1L)));
    String sql =
        DSL_MARIADB.render(insertRow().onConflict(SessionTable.ID).doUpdate().set(replaceAll));
    assertThat(sql)
        .isEqualTo(
            "insert into bodhi_sessions "
                + COLUMNS
                + " on duplicate key update data = values(data), expiry_date ="
                + " values(expiry_date), user_id = values(user_id), created_at ="
                + " values(created_at), last_accessed_at = values(last_accessed_at),"
                + " max_inactive_seconds = values(max_inactive_seconds), revision ="
                + " (bodhi_sessions.revision + 1)");
    try (Connection connection = connect(true)) {
      assertThat(insert(connection, sql, "k1")).isEqualTo(1);
      assertThat(insert(connection, sql, "k1")).isEqualTo(2);
      assertThat(insert(connection, sql, "k1")).isEqualTo(2);
    }
    try (Connection connection = connect(false)) {
      assertThat(insert(connection, sql, "k1")).isEqualTo(2);
    }
    assertThat(database.queryStrings("SELECT revision FROM bodhi_sessions WHERE id = 'k1'"))
        .containsExactly("3");
  }

  @Test
  void selectForUpdateSubstringAndBoundLimitsRunAsRendered() throws SQLException {
    var load =
        DSL_MARIADB
            .select(SessionTable.ID)
            .from(SessionTable.SESSIONS)
            .where(SessionTable.ID.eq(param("key", SQLDataType.VARCHAR)))
            .and(EXPIRY.gt(param("now", INSTANT)));
    assertThat(DSL_MARIADB.render(load.forUpdate()))
        .isEqualTo("select id from bodhi_sessions where (id = ? and expiry_date > ?) for update");
    String prefix =
        DSL_MARIADB.render(
            DSL_MARIADB
                .select(SessionTable.ID)
                .from(SessionTable.SESSIONS)
                .where(
                    DSL.substring(
                            SessionTable.ID, inline(1), param("prefixLength", SQLDataType.INTEGER))
                        .eq(param("prefix", SQLDataType.VARCHAR)))
                .orderBy(SessionTable.ID)
                .limit(param("limit", SQLDataType.INTEGER)));
    assertThat(prefix)
        .isEqualTo(
            "select id from bodhi_sessions where substring(id, 1, ?) = ? order by id"
                + " fetch next ? rows only");
    try (Connection connection = connect(true)) {
      for (String id : List.of("ab1", "ab2", "ab3", "b")) {
        insert(connection, "insert into bodhi_sessions " + COLUMNS, id);
      }
      try (PreparedStatement statement = connection.prepareStatement(prefix)) {
        statement.setInt(1, 2);
        statement.setString(2, "ab");
        statement.setInt(3, 2);
        assertThat(ids(statement)).containsExactly("ab1", "ab2");
      }
      connection.setAutoCommit(false);
      try (PreparedStatement statement =
          connection.prepareStatement(DSL_MARIADB.render(load.forUpdate()))) {
        statement.setString(1, "b");
        statement.setString(2, "2000-01-01 00:00:00");
        assertThat(ids(statement)).containsExactly("b");
      }
      connection.rollback();
    }
  }

  @Test
  void theBatchedExpiredDeleteNeedsDeleteLimitOrJooqsDerivedTable() throws SQLException {
    Field<Object> rowKey = field(name("id"), SQLDataType.OTHER);
    Field<LocalDateTime> now = param("now", INSTANT);
    String viaSubselect =
        DSL_MARIADB.render(
            DSL_MARIADB
                .deleteFrom(SessionTable.SESSIONS)
                .where(
                    rowKey.in(
                        select(rowKey)
                            .from(SessionTable.SESSIONS)
                            .where(EXPIRY.le(now))
                            .limit(inline(2)))));
    // jOOQ wraps the sub-select in a derived table, which MariaDB takes; the plain form it refuses
    assertThat(viaSubselect)
        .isEqualTo(
            "delete from bodhi_sessions where id in (select * from (select id from"
                + " bodhi_sessions where expiry_date <= ? fetch next 2 rows only) as t)");
    String deleteLimit =
        DSL_MARIADB.render(
            DSL_MARIADB.deleteFrom(SessionTable.SESSIONS).where(EXPIRY.le(now)).limit(inline(2)));
    assertThat(deleteLimit).isEqualTo("delete from bodhi_sessions where expiry_date <= ? limit 2");
    try (Connection connection = connect(true)) {
      for (String id : List.of("e1", "e2", "e3", "e4", "e5")) {
        insert(connection, "insert into bodhi_sessions " + COLUMNS, id);
      }
      for (String sql : List.of(viaSubselect, deleteLimit)) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          statement.setString(1, "2031-01-01 00:00:00");
          assertThat(statement.executeUpdate()).isEqualTo(2);
        }
      }
      try (Statement statement = connection.createStatement()) {
        assertThatThrownBy(
                () ->
                    statement.executeUpdate(
                        "delete from bodhi_sessions where id in (select id from bodhi_sessions"
                            + " limit 2)"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1235));
      }
    }
  }

  @Test
  void getLockIsPerConnectionReentrantAndReleasedOncePerTake() throws SQLException {
    try (Connection first = connect(true);
        Connection second = connect(true)) {
      assertThat(scalar(first, "select get_lock('bodhi_sessions_cleanup', 0)")).isEqualTo("1");
      assertThat(scalar(first, "select get_lock('bodhi_sessions_cleanup', 0)")).isEqualTo("1");
      assertThat(scalar(second, "select get_lock('bodhi_sessions_cleanup', 0)")).isEqualTo("0");
      // not the holder: 0; a lock nobody holds: NULL
      assertThat(scalar(second, "select release_lock('bodhi_sessions_cleanup')")).isEqualTo("0");
      assertThat(scalar(second, "select release_lock('bodhi_sessions_nobody')")).isNull();
      assertThat(scalar(first, "select release_lock('bodhi_sessions_cleanup')")).isEqualTo("1");
      // taken twice, so still held until released twice
      assertThat(scalar(second, "select get_lock('bodhi_sessions_cleanup', 0)")).isEqualTo("0");
      assertThat(scalar(first, "select release_lock('bodhi_sessions_cleanup')")).isEqualTo("1");
      assertThat(scalar(first, "select release_lock('bodhi_sessions_cleanup')")).isNull();
      assertThat(scalar(second, "select get_lock('bodhi_sessions_cleanup', 0)")).isEqualTo("1");
    }
    // a closed connection's locks are gone
    try (Connection third = connect(true)) {
      assertThat(scalar(third, "select get_lock('bodhi_sessions_cleanup', 0)")).isEqualTo("1");
    }
  }

  @Test
  void innodbSnapshotIsolationExistsOffByDefaultAndIsSessionSettable() throws SQLException {
    try (Connection connection = connect(true)) {
      assertThat(scalar(connection, "select @@GLOBAL.innodb_snapshot_isolation")).isEqualTo("0");
      try (Statement statement = connection.createStatement()) {
        statement.execute("set session innodb_snapshot_isolation = ON");
      }
      assertThat(scalar(connection, "select @@SESSION.innodb_snapshot_isolation")).isEqualTo("1");
    }
  }

  private static List<String> ids(PreparedStatement statement) throws SQLException {
    List<String> ids = new java.util.ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }

  private static String scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}

package app.getbodhi.session.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.mariadb.internal.MariaDbSessionSettings;
import app.getbodhi.session.mariadb.testing.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * The migration's table on a server whose default collation is the case- and accent-insensitive
 * {@code utf8mb4_unicode_ci}, checked with plain JDBC: every pitfall the schema is designed for.
 */
class MariaDbSchemaTest extends OnTheModulesScripts {

  static final String INSERT =
      "INSERT INTO bodhi_sessions (id, data, expiry_date, user_id, created_at, last_accessed_at)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  static LocalDateTime utc(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static void insert(String id, String user, Instant expiry) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(INSERT)) {
      statement.setString(1, id);
      statement.setBytes(2, new byte[] {1});
      statement.setObject(3, utc(expiry));
      statement.setString(4, user);
      statement.setObject(5, utc(expiry));
      statement.setObject(6, utc(expiry));
      statement.executeUpdate();
    }
  }

  static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void createsTheCurrentShapeWithBothIndexesInVersionsOneToFour() {
    assertThat(database.tableNames())
        .containsExactlyInAnyOrder("bodhi_sessions", "bodhi_sessions_schema_history");
    // the columns, in order and with their types, are the next test's
    assertThat(database.indexNames("bodhi_sessions"))
        .containsExactlyInAnyOrder(
            "primary", "idx_bodhi_sessions_user_id", "idx_bodhi_sessions_expiry_date");
    assertThat(
            database.queryStrings(
                "SELECT version FROM bodhi_sessions_schema_history WHERE success = 1"
                    + " ORDER BY installed_rank"))
        // V5, the sealing, is Java and runs only from the store's migrate()
        .containsExactly("1", "2", "3", "4");
  }

  @Test
  void isInnoDbWithExplicitCollationsNotTheServerDefault() {
    if (MariaDbServer.shared().embedded()) {
      // the fixture's server default is case-insensitive, so a schema relying on it fails here; a
      // configured server's default is whatever its operator chose
      assertThat(database.queryStrings("SELECT @@collation_server"))
          .containsExactly("utf8mb4_unicode_ci");
    }
    assertThat(
            database.queryStrings(
                "SELECT concat(engine, ' ', table_collation) FROM information_schema.tables"
                    + " WHERE table_schema = ? AND table_name = 'bodhi_sessions'",
                database.name()))
        .containsExactly("InnoDB utf8mb4_bin");
    assertThat(
            database.queryStrings(
                "SELECT concat(column_name, ' ', column_type, ' ', coalesce(collation_name, '-'))"
                    + " FROM information_schema.columns WHERE table_schema = ? AND table_name ="
                    + " 'bodhi_sessions' ORDER BY ordinal_position",
                database.name()))
        .containsExactly(
            "id varchar(64) ascii_bin",
            "data longblob -",
            "expiry_date datetime(3) -",
            "user_id text utf8mb4_nopad_bin",
            "revision bigint(20) -",
            "created_at datetime(3) -",
            "last_accessed_at datetime(3) -",
            "max_inactive_seconds int(11) -");
  }

  @Test
  void idsDifferingOnlyInCaseAreTwoRows() throws SQLException {
    String ref = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE";
    insert(ref, null, LATER);
    insert(ref.toLowerCase(java.util.Locale.ROOT), null, LATER);
    assertThat(database.queryStrings("SELECT id FROM bodhi_sessions WHERE id = ?", ref))
        .containsExactly(ref);
    assertThat(database.queryStrings("SELECT count(*) FROM bodhi_sessions")).containsExactly("2");
  }

  @Test
  void userIdsAreFullUnicodeAndMatchExactly() throws SQLException {
    insert("r1", "josé", LATER);
    insert("r2", "jose", LATER);
    insert("r3", "JOSÉ", LATER);
    insert("r4", "\uD83D\uDE00 smile", LATER);
    insert("r5", "jose ", LATER);
    assertThat(database.queryStrings("SELECT id FROM bodhi_sessions WHERE user_id = ?", "jose"))
        .containsExactly("r2");
    // a NO PAD collation: trailing spaces count
    assertThat(database.queryStrings("SELECT id FROM bodhi_sessions WHERE user_id = ?", "jose "))
        .containsExactly("r5");
    assertThat(database.queryStrings("SELECT id FROM bodhi_sessions WHERE user_id = ?", "josé"))
        .containsExactly("r1");
    assertThat(
            database.queryStrings(
                "SELECT user_id FROM bodhi_sessions WHERE user_id = ?", "\uD83D\uDE00 smile"))
        .containsExactly("\uD83D\uDE00 smile");
  }

  @Test
  void aLongUserIdIsStoredAndFoundThroughThePrefixIndex() throws SQLException {
    String common = "u".repeat(300);
    insert("r1", common + "a", LATER);
    insert("r2", common + "b", LATER);
    assertThat(
            database.queryStrings("SELECT id FROM bodhi_sessions WHERE user_id = ?", common + "b"))
        .containsExactly("r2");
  }

  @Test
  void theSessionRunsInStrictModeSoAnOverlongValueIsAnErrorNotTruncated() {
    assertThat(database.queryStrings("SELECT @@SESSION.sql_mode"))
        .containsExactly(MariaDbSessionSettings.SQL_MODE);
    assertThatThrownBy(() -> insert("x".repeat(65), null, LATER))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Data too long for column 'id'");
    // TEXT ends at 65,535 bytes
    assertThatThrownBy(() -> insert("r1", "a".repeat(65_536), LATER))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Data too long for column 'user_id'");
    // cut inside a four-byte character, the same overflow is reported as an incorrect string
    assertThatThrownBy(() -> insert("r1", "\uD83D\uDE00".repeat(16_384), LATER))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Incorrect string value");
    assertThat(database.queryStrings("SELECT count(*) FROM bodhi_sessions")).containsExactly("0");
  }

  @Test
  void theNeverExpiringSentinelAndMillisecondsSurviveWhateverTheJvmZone() throws SQLException {
    TimeZone saved = TimeZone.getDefault();
    // far from UTC on both sides; a conversion through the JVM's zone would show
    for (String zone : new String[] {"Pacific/Kiritimati", "Pacific/Pago_Pago"}) {
      TimeZone.setDefault(TimeZone.getTimeZone(zone));
      try {
        database.execute("DELETE FROM bodhi_sessions");
        Instant never = Instant.parse("9999-12-31T23:59:59.999Z");
        Instant precise = Instant.parse("2030-06-01T12:34:56.789Z");
        insert("never", null, never);
        insert("precise", null, precise);
        assertThat(readExpiry("never")).isEqualTo(never);
        assertThat(readExpiry("precise")).isEqualTo(precise);
        // as stored: the UTC wall-clock time, no zone applied on the way
        assertThat(
                database.queryStrings(
                    "SELECT cast(expiry_date AS char) FROM bodhi_sessions WHERE id = 'precise'"))
            .containsExactly("2030-06-01 12:34:56.789");
        assertThat(
                database.queryStrings(
                    "SELECT id FROM bodhi_sessions WHERE expiry_date > ? ORDER BY id",
                    utc(Instant.parse("2030-06-01T12:34:56.788Z"))))
            .containsExactly("never", "precise");
      } finally {
        TimeZone.setDefault(saved);
      }
    }
  }

  @Test
  void theTestKitsEpochMillisExpressionIsUtc() throws SQLException {
    Instant never = Instant.parse("9999-12-31T23:59:59.999Z");
    database.execute(
        "INSERT INTO bodhi_sessions (id, data, expiry_date, created_at, last_accessed_at)"
            + " VALUES ('k', x'01', "
            + database.expiryFromEpochMillis()
            + ", now(3), now(3))",
        never.toEpochMilli());
    assertThat(readExpiry("k")).isEqualTo(never);
  }

  @Test
  void theTestKitsRefusalTriggersFailTheWrite() throws Exception {
    try (AutoCloseable refusal =
        database.refuse("writes", java.util.List.of("INSERT", "UPDATE"), "NEW.user_id = 'bob'")) {
      assertThatThrownBy(() -> insert("r1", "bob", LATER))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("writes refused by the test");
      insert("r2", "alice", LATER);
      assertThatThrownBy(
              () -> database.execute("UPDATE bodhi_sessions SET user_id = 'bob' WHERE id = 'r2'"))
          .rootCause()
          .hasMessageContaining("writes refused by the test");
    }
    insert("r3", "bob", LATER);
  }

  private static Instant readExpiry(String id) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT expiry_date FROM bodhi_sessions WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
      }
    }
  }
}

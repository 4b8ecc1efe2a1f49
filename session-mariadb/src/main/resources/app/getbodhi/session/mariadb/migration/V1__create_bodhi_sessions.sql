-- The session table, as PostgreSQL's and SQLite's migrations build it: V1 (table), V2 (user_id),
-- V3 (indexes) and V4 (revision and lifecycle); then comes the shared Java migration V5, which
-- seals every row (SealingMigration, in session-jooq) and must run after V4's shape and before any
-- later migration of a backend. A MariaDB migration added later is numbered V6 or above, never
-- V2..V5.
--
-- IF NOT EXISTS, here and in V2..V4: a database may already hold a legacy bodhi_sessions table of
-- this V1 shape (id, data, expiry_date; baselined at version 0), whose rows must survive and which
-- the later steps bring to the current shape. MariaDB commits each DDL statement on its own, so
-- every step must be safe to run again after a failure half-way: IF NOT EXISTS makes it so.
--
-- Every column's character set and collation is spelt out, never the server's or database's
-- default (often the case- and accent-insensitive utf8mb4_unicode_ci or utf8mb4_general_ci):
-- id           a SessionRef, base64url of 43 characters: ASCII, compared byte for byte
--              (ascii_bin), so two refs differing only in case are two rows;
-- data         the sealed session, binary; LONGBLOB because SessionStoreConfig.maxDataBytes has no
--              upper bound (1 MiB by default; MEDIUMBLOB would stop at 16 MiB); the server's
--              max_allowed_packet (16 MiB by default) is the practical limit;
-- expiry_date  an instant in UTC, to the millisecond: DATETIME(3), whose range reaches the
--              never-expiring 9999-12-31 23:59:59.999 (TIMESTAMP ends in 2038) and which the
--              server never converts by time zone; the store binds and reads LocalDateTime in UTC.
CREATE TABLE IF NOT EXISTS bodhi_sessions (
    id          VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    data        LONGBLOB NOT NULL,
    expiry_date DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

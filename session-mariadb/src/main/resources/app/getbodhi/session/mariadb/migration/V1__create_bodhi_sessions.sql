-- The session table, created in its final shape at once.
--
-- Numbering: PostgreSQL and SQLite reached this shape in V1 (table), V2 (user_id), V3 (user index)
-- and V4 (revision and lifecycle); then comes the shared Java migration V5, which seals every row
-- (SealingMigration, in session-jooq) and must run after V4's shape and before any later
-- migration of a backend. MariaDB has no legacy to adopt, so V1 creates what V1..V4 build and V2,
-- V3 and V4 stay unused here: Flyway runs versions in order and allows gaps. A MariaDB migration
-- added later is numbered V6 or above, never V2..V5.
--
-- No IF NOT EXISTS: a bodhi_sessions table already there (made by another tool, such as
-- tower-sessions' MySQL store) has another shape and must stop the migration, not be adopted.
-- One statement with the indexes inline: MariaDB commits each DDL statement on its own, so a
-- failure leaves either the whole table or none.
--
-- Every column's character set and collation is spelt out, never the server's or database's
-- default (often the case- and accent-insensitive utf8mb4_unicode_ci or utf8mb4_general_ci):
-- id                   a SessionRef, base64url of 43 characters: ASCII, compared byte for byte
--                      (ascii_bin), so two refs differing only in case are two rows;
-- data                 the sealed session, binary; LONGBLOB because SessionStoreConfig.maxDataBytes
--                      has no upper bound (1 MiB by default; MEDIUMBLOB would stop at 16 MiB); the
--                      server's max_allowed_packet (16 MiB by default) is the practical limit;
-- expiry_date,         instants in UTC, to the millisecond: DATETIME(3), whose range reaches the
-- created_at,          never-expiring 9999-12-31 23:59:59.999 (TIMESTAMP ends in 2038) and which
-- last_accessed_at     the server never converts by time zone; the store binds and reads
--                      LocalDateTime in UTC;
-- user_id              any Unicode string, emoji included (utf8mb4), compared exactly (utf8mb4_bin:
--                      'e' is not 'é', 'a' is not 'A'); TEXT, up to 65,535 bytes, as PostgreSQL
--                      takes long user ids too (see its V3); an index key must stay within InnoDB's
--                      3,072 bytes, so the index holds the first 255 characters (1,020 bytes) and
--                      an equality lookup rechecks the whole value in the row;
-- revision             grows by one on every write;
-- max_inactive_seconds the session's own timeout; NULL: the session layer's applies.
CREATE TABLE bodhi_sessions (
    id                   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    data                 LONGBLOB NOT NULL,
    expiry_date          DATETIME(3) NOT NULL,
    user_id              TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    revision             BIGINT NOT NULL DEFAULT 0,
    created_at           DATETIME(3) NOT NULL,
    last_accessed_at     DATETIME(3) NOT NULL,
    max_inactive_seconds INT NULL,
    PRIMARY KEY (id),
    INDEX idx_bodhi_sessions_user_id (user_id(255)),
    INDEX idx_bodhi_sessions_expiry_date (expiry_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The session table. IF NOT EXISTS: a database may already hold a legacy bodhi_sessions table
-- (baselined at version 0), whose rows must survive. Names are not schema-qualified so the table
-- lands in the connection's current schema (currentSchema / search_path).
-- COLLATE "C": ids are ASCII, and byte order makes id comparisons cheap and the same as SQLite's,
-- whatever the database's default collation.
CREATE TABLE IF NOT EXISTS bodhi_sessions (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    data        BYTEA NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);

-- deleteExpired() scans by expiry.
CREATE INDEX IF NOT EXISTS idx_bodhi_sessions_expiry_date ON bodhi_sessions (expiry_date);

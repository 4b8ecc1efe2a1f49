-- The shape tower-sessions' SQLite store created, so a database it made is adopted as is.
-- expiry_date holds epoch milliseconds (UTC): SQLite has no timestamp type.
CREATE TABLE IF NOT EXISTS bodhi_sessions (
    id          TEXT    PRIMARY KEY NOT NULL,
    data        BLOB    NOT NULL,
    expiry_date INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS idx_bodhi_sessions_expiry_date ON bodhi_sessions (expiry_date);
